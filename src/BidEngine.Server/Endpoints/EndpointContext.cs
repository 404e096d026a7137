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

    /// <summary>Pooled buffer for a gzip-decompressed body; null unless the request was compressed.</summary>
    public byte[]? Decompressed { get; set; }

    public bool TryReset()
    {
        Bid.Reset();
        Writer.Reset(Detached);
        if (Decompressed is not null)
        {
            ArrayPool<byte>.Shared.Return(Decompressed);
            Decompressed = null;
        }

        return true;
    }
}
