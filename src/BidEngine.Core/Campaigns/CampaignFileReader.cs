using System.Text.Json;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// Walks a campaign file's <c>campaigns</c> array one element at a time, from a stream, and hands out
/// each element's bytes for the loader to read. Holds one buffer that starts at 64 KiB and doubles
/// only while a single campaign does not fit in it, so that loading a 68 MB file of 100,000 campaigns
/// never holds the whole file: reading it whole (and again as a document for the rules) rented two
/// 128 MiB arrays that then stayed in the shared array pool, 268 MB of a loaded set's heap.
///
/// Matches what deserializing the whole file did: the root is an object (null is an empty file),
/// <c>campaigns</c> is found without regard to case and a repeated one replaces the ones before (each
/// is checked as it is read),
/// null is no campaigns, other properties are skipped, comments and trailing commas are allowed.
/// </summary>
internal sealed class CampaignFileReader
{
    private const int FirstBufferBytes = 64 * 1024;

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Stream _stream;
    private readonly string _source;
    private byte[] _buffer = new byte[FirstBufferBytes];
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state = new(Options);
    private Phase _phase;

    public CampaignFileReader(Stream stream, string source)
    {
        _stream = stream;
        _source = source;
    }

    private enum Phase
    {
        Root,
        Properties,
        Campaigns,
        Done,
    }

    /// <summary>Whether the file has a <c>campaigns</c> array.</summary>
    public bool FoundCampaigns { get; private set; }

    /// <summary>Raised when another <c>campaigns</c> property begins: the ones read before it no longer count.</summary>
    public event Action? CampaignsRestarted;

    /// <summary>
    /// The next element of the campaigns array, as its own JSON text; valid until the next call. False
    /// at the end of the file.
    /// </summary>
    public bool TryReadNext(out ReadOnlyMemory<byte> campaign)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            var step = Step(ref reader, out var from, out var to);
            if (step == StepResult.NeedMore)
            {
                Refill();
                continue;
            }

            campaign = step == StepResult.Campaign ? _buffer.AsMemory(_start + from, to - from) : default;
            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (step == StepResult.Campaign)
            {
                return true;
            }

            if (_phase == Phase.Done)
            {
                return false;
            }
        }
    }

    private enum StepResult
    {
        NeedMore,
        Moved,
        Campaign,
    }

    /// <summary>One whole step (a token, a property with its value, or an array element) or nothing.</summary>
    private StepResult Step(ref Utf8JsonReader reader, out int from, out int to)
    {
        (from, to) = (0, 0);
        switch (_phase)
        {
            case Phase.Root:
                if (!reader.Read())
                {
                    return StepResult.NeedMore;
                }

                _phase = reader.TokenType switch
                {
                    JsonTokenType.StartObject => Phase.Properties,
                    JsonTokenType.Null => throw new InvalidDataException($"{_source}: empty campaign file"),
                    _ => throw new JsonException($"{_source}: a campaign file is a JSON object (found {reader.TokenType})"),
                };
                return StepResult.Moved;

            case Phase.Properties:
                if (!reader.Read())
                {
                    return StepResult.NeedMore;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return End(ref reader);
                }

                var campaigns = reader.ValueTextEquals("campaigns"u8);
                var likeCampaigns = campaigns || string.Equals(reader.GetString(), "campaigns", StringComparison.OrdinalIgnoreCase);
                if (!reader.Read())
                {
                    return StepResult.NeedMore;
                }

                if (likeCampaigns && reader.TokenType == JsonTokenType.StartArray)
                {
                    if (!campaigns)
                    {
                        // The rules reader names fields exactly: a "Campaigns" array with campaigns in it is refused.
                        var peek = reader;
                        if (!peek.Read())
                        {
                            return StepResult.NeedMore;
                        }

                        if (peek.TokenType != JsonTokenType.EndArray)
                        {
                            throw new InvalidDataException($"{_source}: campaigns must be an array");
                        }
                    }

                    _phase = Phase.Campaigns;
                    FoundCampaigns = true;
                    CampaignsRestarted?.Invoke();
                    return StepResult.Moved;
                }

                if (likeCampaigns && reader.TokenType != JsonTokenType.Null)
                {
                    throw new JsonException($"{_source}: campaigns must be an array (found {reader.TokenType})");
                }

                if (likeCampaigns)
                {
                    CampaignsRestarted?.Invoke();
                }

                return reader.TrySkip() ? StepResult.Moved : StepResult.NeedMore;

            case Phase.Campaigns:
                if (!reader.Read())
                {
                    return StepResult.NeedMore;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _phase = Phase.Properties;
                    return StepResult.Moved;
                }

                from = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    return StepResult.NeedMore;
                }

                to = (int)reader.BytesConsumed;
                return StepResult.Campaign;

            default:
                return StepResult.Moved;
        }
    }

    /// <summary>After the root object only whitespace and comments may follow.</summary>
    private StepResult End(ref Utf8JsonReader reader)
    {
        var rest = reader;
        if (rest.Read())
        {
            throw new JsonException($"{_source}: text after the campaign file's object ({rest.TokenType})");
        }

        if (!_final)
        {
            return StepResult.NeedMore;
        }

        _phase = Phase.Done;
        return StepResult.Moved;
    }

    /// <summary>Keeps the unread bytes, reads more after them; doubles the buffer only when a single step needs more room.</summary>
    private void Refill()
    {
        if (_final)
        {
            // The reader throws on incomplete input in the final block; nothing should ask for more.
            throw new JsonException($"{_source}: the campaign file ends early");
        }

        var pending = _end - _start;
        if (pending == _buffer.Length)
        {
            Array.Resize(ref _buffer, checked(_buffer.Length * 2));
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }

        (_start, _end) = (0, pending);
        while (_end < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _final = true;
                return;
            }

            _end += read;
        }
    }
}
