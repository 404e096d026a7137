namespace BidEngine.Server.Options;

/// <summary>
/// How the bidder leaves on SIGTERM (or Ctrl+C): <c>/readyz</c> answers 503 at once, bids and notices
/// are still answered for <see cref="DrainSeconds"/> so that a load balancer checking <c>/readyz</c>
/// moves traffic away, then the listeners close, requests in flight finish, the bid log and the
/// state are flushed, leases go back to the store, and the process exits. Bound from <c>BidEngine:Shutdown</c>.
/// </summary>
public sealed class ShutdownOptions
{
    /// <summary>
    /// Seconds of answering after SIGTERM with <c>/readyz</c> at 503: at least the load balancer's check
    /// interval times the failures it needs (HAProxy's defaults, inter 2 s fall 3: 6 s). 5 by default,
    /// which fits Kubernetes, whose endpoints drop a terminating pod without waiting for its probe.
    /// </summary>
    public int DrainSeconds { get; set; } = 5;

    /// <summary>
    /// The whole way down, drain included (ASP.NET Core's <c>HostOptions.ShutdownTimeout</c> is set from
    /// it): what is in flight once the listeners close gets the rest, then flushing. 20 by default, under
    /// Kubernetes' 30 s <c>terminationGracePeriodSeconds</c>, which must stay above it.
    /// </summary>
    public int TimeoutSeconds { get; set; } = 20;

    public IEnumerable<string> Validate()
    {
        if (DrainSeconds is < 0 or > 300)
        {
            yield return "BidEngine:Shutdown:DrainSeconds must be between 0 and 300";
        }

        if (TimeoutSeconds < DrainSeconds + 5 || TimeoutSeconds > 600)
        {
            yield return $"BidEngine:Shutdown:TimeoutSeconds ({TimeoutSeconds}) must be at least BidEngine:Shutdown:DrainSeconds + 5 ({DrainSeconds + 5}), "
                + "so that requests in flight and the final flush get time after the drain, and at most 600";
        }
    }
}
