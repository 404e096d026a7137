namespace BidEngine.Server.Options;

/// <summary>How much warm-up runs before <c>/readyz</c> turns 200. Bound from <c>BidEngine:Warmup</c>.</summary>
public sealed class WarmupOptions
{
    /// <summary>Requests sent through Kestrel to the bidder itself over loopback before it is ready.</summary>
    public int HttpRequests { get; set; } = 3000;

    /// <summary>
    /// Longest time spent sending more requests while the JIT is still compiling. Without it, the
    /// first seconds of traffic met half-optimised code (p99 20 ms instead of 3 ms at 4k rps).
    /// </summary>
    public int SettleSeconds { get; set; } = 15;

    public IEnumerable<string> Validate()
    {
        if (HttpRequests is < 0 or > 1_000_000)
        {
            yield return "BidEngine:Warmup:HttpRequests must be between 0 and 1000000";
        }

        if (SettleSeconds is < 0 or > 600)
        {
            yield return "BidEngine:Warmup:SettleSeconds must be between 0 and 600";
        }
    }
}
