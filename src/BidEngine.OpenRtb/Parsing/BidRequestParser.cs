using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BidEngine.OpenRtb.Request;
using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Parsing;

/// <summary>
/// Reads an OpenRTB 2.5/2.6 bid request with <see cref="Utf8JsonReader"/> straight from the
/// received bytes into a pooled <see cref="BidRequest"/>. String values the bidder uses are
/// unescaped into the request's text arena; unknown fields and every <c>ext</c> are skipped
/// without allocating. Refusals come back as a <see cref="ParseResult"/>, never as an exception.
/// A key given twice is read twice, in order: the last single value wins (a null clears it), a
/// second <c>imp</c> (or <c>cur</c>, <c>bcat</c>, ...) array adds its items after the first's, and a
/// second object (<c>banner</c>, <c>site</c>, ...) sets only the fields it carries.
/// </summary>
public static partial class BidRequestParser
{
    [ThreadStatic]
    private static byte[]? t_nameScratch;

    public static ParseResult Parse(ReadOnlySequence<byte> body, BidRequest into, ParserLimits? limits = null)
    {
        limits ??= ParserLimits.Default;
        var options = new JsonReaderOptions { MaxDepth = limits.MaxDepth };

        // Single-segment fast path: the reader works on a span, with no segment bookkeeping.
        var reader = body.IsSingleSegment
            ? new Utf8JsonReader(body.FirstSpan, options)
            : new Utf8JsonReader(body, options);
        return Parse(ref reader, into, limits);
    }

    public static ParseResult Parse(ReadOnlySpan<byte> body, BidRequest into, ParserLimits? limits = null)
    {
        limits ??= ParserLimits.Default;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = limits.MaxDepth });
        return Parse(ref reader, into, limits);
    }

    private static ParseResult Parse(ref Utf8JsonReader reader, BidRequest into, ParserLimits limits)
    {
        try
        {
            if (!reader.Read())
            {
                return ParseResult.Fail(BidRequestError.NotJson, null, "body is empty");
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return ParseResult.Fail(BidRequestError.NotAnObject, null, "body must be a JSON object (a BidRequest)");
            }

            ReadRequest(ref reader, into, limits);

            // Anything after the closing brace other than whitespace is not one JSON document.
            if (reader.Read())
            {
                return ParseResult.Fail(BidRequestError.NotJson, null, "unexpected data after the request object");
            }

            return Validate(into);
        }
        catch (BadRequestException e)
        {
            return ParseResult.Fail(e.Error, e.Field, e.Message);
        }
        catch (JsonException e)
        {
            if (reader.CurrentDepth >= limits.MaxDepth - 1)
            {
                return ParseResult.Fail(BidRequestError.TooDeep, null, $"JSON nests deeper than {limits.MaxDepth} levels");
            }

            return ParseResult.Fail(BidRequestError.NotJson, null, $"not valid JSON: line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}");
        }
    }

    private static ParseResult Validate(BidRequest request)
    {
        if (!request.Id.HasValue || request.Id.IsNullOrEmpty)
        {
            return ParseResult.Fail(BidRequestError.MissingId, "id", "request has no id");
        }

        var imps = request.Imps;
        if (imps.Count == 0)
        {
            return ParseResult.Fail(BidRequestError.MissingImp, "imp", "request has no imp (it must have at least one)");
        }

        for (var i = 0; i < imps.Count; i++)
        {
            var id = imps[i].Id;
            if (!id.HasValue || id.IsNullOrEmpty)
            {
                return ParseResult.Fail(BidRequestError.ImpWithoutId, "imp[].id", $"imp[{i}] has no id");
            }

            // Requests carry a handful of imps; a quadratic scan beats hashing at that size.
            var idBytes = request[id];
            for (var j = 0; j < i; j++)
            {
                if (idBytes.SequenceEqual(request[imps[j].Id]))
                {
                    return ParseResult.Fail(BidRequestError.DuplicateImpId, "imp[].id", $"imp[{j}] and imp[{i}] share the same id");
                }
            }
        }

        return ParseResult.Success;
    }

    // ---- token helpers -------------------------------------------------------------------

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>
    /// The name of the property just read, as UTF-8. Comparing this span with each candidate name
    /// is a length check and a vector compare, cheaper than asking the reader each time (it checks
    /// token type, escaping and segments on every call). Escaped or segment-split names, rare in
    /// practice, are unescaped into a per-thread scratch buffer; names over 64 bytes match nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> PropertyName(ref Utf8JsonReader reader) =>
        !reader.HasValueSequence && !reader.ValueIsEscaped ? reader.ValueSpan : PropertyNameSlow(ref reader);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ReadOnlySpan<byte> PropertyNameSlow(ref Utf8JsonReader reader)
    {
        var scratch = t_nameScratch ??= new byte[64];
        var rawLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (rawLength > scratch.Length)
        {
            return default;
        }

        try
        {
            return scratch.AsSpan(0, reader.CopyString(scratch));
        }
        catch (InvalidOperationException)
        {
            // Not valid text (invalid UTF-8 split across segments, an escaped lone surrogate): like
            // such a name on the fast path, which compares raw bytes, it matches no field and is skipped.
            return default;
        }
    }

    /// <summary>Skips the value of the property just read; works inside a fully buffered body.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SkipValue(ref Utf8JsonReader reader) => reader.Skip();

    private static Utf8Slice ReadString(ref Utf8JsonReader reader, TextArena text, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return CopyString(ref reader, text);
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        throw WrongType(field, "a string", reader.TokenType);
    }

    /// <summary>Reads a string the bidder does not depend on: a value of another type is skipped, not refused.</summary>
    private static Utf8Slice ReadStringLenient(ref Utf8JsonReader reader, TextArena text)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return CopyString(ref reader, text);
        }

        reader.Skip();
        return default;
    }

    private static Utf8Slice CopyString(ref Utf8JsonReader reader, TextArena text)
    {
        // Unescaping never lengthens a JSON string, so the raw length is enough room.
        var rawLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        int written;
        try
        {
            written = reader.CopyString(text.Reserve(rawLength));
        }
        catch (InvalidOperationException)
        {
            // The reader checks UTF-8 only when a string is copied: invalid bytes or an escaped lone
            // surrogate end up here, and would otherwise escape Parse (found by ParserFuzzTests).
            throw InvalidText();
        }

        return text.Commit(written);
    }

    private static int ReadInt(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (JsonNumbers.TryGetInt32(ref reader, out var value))
            {
                return value;
            }

            // 300.0 is an integer written as a float by some exchanges' serializers.
            if (JsonNumbers.TryGetDouble(ref reader, out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                return (int)d;
            }

            throw WrongType(field, "an integer", reader.TokenType);
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        throw WrongType(field, "an integer", reader.TokenType);
    }

    /// <summary>Reads an integer the bidder does not depend on: a value of another type gives <paramref name="fallback"/>.</summary>
    private static int ReadIntLenient(ref Utf8JsonReader reader, int fallback)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && JsonNumbers.TryGetInt32(ref reader, out var value))
        {
            return value;
        }

        reader.Skip();
        return fallback;
    }

    private static double ReadDouble(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && JsonNumbers.TryGetDouble(ref reader, out var value) && double.IsFinite(value))
        {
            return value;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return 0;
        }

        throw WrongType(field, "a number", reader.TokenType);
    }

    private static double? ReadDoubleLenient(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && JsonNumbers.TryGetDouble(ref reader, out var value) && double.IsFinite(value))
        {
            return value;
        }

        reader.Skip();
        return null;
    }

    private static void ReadStringArray(ref Utf8JsonReader reader, TextArena text, List<Utf8Slice> into, string field, ParserLimits limits)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType(field, "an array of strings", reader.TokenType);
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw WrongType(field, "an array of strings", reader.TokenType);
            }

            if (into.Count == limits.MaxArrayItems)
            {
                throw TooMany(field, limits.MaxArrayItems);
            }

            into.Add(CopyString(ref reader, text));
        }
    }

    /// <summary>Moves onto the start of an object value; false (value skipped or null) when there is none.</summary>
    private static bool EnterObject(ref Utf8JsonReader reader, string field, bool strict)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        if (strict)
        {
            throw WrongType(field, "an object", reader.TokenType);
        }

        reader.Skip();
        return false;
    }

    private static bool EnterArray(ref Utf8JsonReader reader, string field)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            return true;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        throw WrongType(field, "an array", reader.TokenType);
    }

    [StackTraceHidden]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BadRequestException WrongType(string field, string expected, JsonTokenType found) =>
        new(BidRequestError.WrongType, field, $"{field} must be {expected}, found {Describe(found)}");

    [StackTraceHidden]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BadRequestException InvalidText() =>
        new(BidRequestError.NotJson, null, "not valid JSON: a string holds invalid UTF-8 or an escaped lone surrogate");

    [StackTraceHidden]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static BadRequestException TooMany(string field, int limit) =>
        new(BidRequestError.TooManyItems, field, $"{field} has more than {limit} items");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    [DoesNotReturn]
    [StackTraceHidden]
    private static void ThrowTooMany(string field, int limit) => throw TooMany(field, limit);
}
