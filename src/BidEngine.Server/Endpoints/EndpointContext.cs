using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BidEngine.Core.Pipeline;
using Microsoft.Extensions.ObjectPool;

namespace BidEngine.Server.Endpoints;

/// <summary>
/// What one in-flight bid request holds: the pipeline's context plus a JSON writer that is
/// re-pointed at each response's pipe. Pooled whole, so a request in steady state allocates
/// neither.
/// </summary>
internal sealed class EndpointContext : IResettable
{
    // Adm carries HTML; the relaxed encoder leaves '<', '>' and '&' as they are (the answer is
    // JSON for an exchange, not HTML for a browser) and keeps the markup at its own size.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    public BidContext Bid { get; } = new();

    public Utf8JsonWriter Writer { get; } = new(Detached, WriterOptions);

    /// <summary>
    /// Answers larger than this are not kept for the next request: one huge answer must not pin its
    /// buffer in every pooled context (worst case 128 contexts × 2 buffers × 64 KiB = 16 MiB).
    /// </summary>
    private const int MaxKeptAnswerBytes = 64 * 1024;

    /// <summary>
    /// The answer is written here first, so that its length is known before the first byte goes out:
    /// answers carry Content-Length (some exchanges require it) and a profile's size cap can be kept.
    /// </summary>
    public ArrayBufferWriter<byte> Answer { get; private set; } = new(4096);

    /// <summary>The gzip form of <see cref="Answer"/>, when the exchange asked for it.</summary>
    public ArrayBufferWriter<byte> Compressed { get; private set; } = new(2048);

    /// <summary>Pooled buffer for a gzip-decompressed body; null unless the request was compressed.</summary>
    public byte[]? Decompressed { get; set; }

    public bool TryReset()
    {
        Bid.Reset();
        Writer.Reset(Detached);
        Answer = Answer.Capacity > MaxKeptAnswerBytes ? new ArrayBufferWriter<byte>(4096) : Answer;
        Answer.ResetWrittenCount();
        Compressed = Compressed.Capacity > MaxKeptAnswerBytes ? new ArrayBufferWriter<byte>(2048) : Compressed;
        Compressed.ResetWrittenCount();
        if (Decompressed is not null)
        {
            ArrayPool<byte>.Shared.Return(Decompressed);
            Decompressed = null;
        }

        return true;
    }
}
