namespace BidEngine.Server.Options;

/// <summary>The bid endpoint's HTTP behaviour. Bound from <c>BidEngine:Http</c>.</summary>
public sealed class HttpOptions
{
    /// <summary>Largest body accepted as sent (compressed or not); over it: 413. Real requests are 1 to 8 KiB.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest body after gzip decompression; guards against compression bombs.</summary>
    public int MaxDecompressedBytes { get; set; } = 256 * 1024;

    /// <summary>Deepest JSON nesting accepted; deeper bodies get 400 too_deep.</summary>
    public int MaxJsonDepth { get; set; } = 32;

    /// <summary>Most imps per request accepted.</summary>
    public int MaxImps { get; set; } = 64;

    /// <summary>Send no-bids as 200 with <c>{"id":..,"nbr":N}</c> instead of an empty 204.</summary>
    public bool NoBidWithBody { get; set; }

    /// <summary>Add <c>x-bidengine-path</c> (model, heuristic, none) to every answer: for load tests and debugging.</summary>
    public bool DebugPathHeader { get; set; }

    public IEnumerable<string> Validate()
    {
        if (MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            yield return "BidEngine:Http:MaxBodyBytes must be between 1024 and 16777216";
        }

        if (MaxDecompressedBytes < MaxBodyBytes || MaxDecompressedBytes > 64 * 1024 * 1024)
        {
            yield return "BidEngine:Http:MaxDecompressedBytes must be at least MaxBodyBytes and at most 67108864";
        }

        if (MaxJsonDepth is < 8 or > 256)
        {
            yield return "BidEngine:Http:MaxJsonDepth must be between 8 and 256";
        }

        if (MaxImps is < 1 or > 1000)
        {
            yield return "BidEngine:Http:MaxImps must be between 1 and 1000";
        }
    }
}
