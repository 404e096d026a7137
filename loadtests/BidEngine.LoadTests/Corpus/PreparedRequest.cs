namespace BidEngine.LoadTests.Corpus;

/// <summary>
/// One request body, built before the run: the bytes sent (gzip-compressed when <see cref="Gzip"/>),
/// its tmax (null when the request has none) and where it came from.
/// </summary>
public sealed record PreparedRequest(string Source, byte[] Body, bool Gzip, int? TmaxMs)
{
    /// <summary>The whole HTTP/1.1 request (head and body) for the raw client; set by <see cref="RequestPool.ForTarget"/>.</summary>
    public byte[] Wire { get; init; } = [];
}
