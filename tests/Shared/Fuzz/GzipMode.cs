namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>How a mutated body is sent: as it is, gzip-compressed, or as a damaged gzip stream.</summary>
internal enum GzipMode
{
    None,
    Gzip,
    TruncatedGzip,
    GarbledGzip,

    /// <summary>Says Content-Encoding: gzip but sends the plain body.</summary>
    GzipHeaderOnly,
}
