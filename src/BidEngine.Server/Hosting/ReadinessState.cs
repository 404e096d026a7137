namespace BidEngine.Server.Hosting;

/// <summary>
/// What <c>/readyz</c> answers from: ready once campaigns are loaded and the request path is warm,
/// and not ready again from the moment a drain begins, so that load balancers move traffic away.
/// </summary>
internal sealed class ReadinessState
{
    private volatile bool _ready;
    private volatile bool _draining;

    public bool IsReady => _ready && !_draining;

    /// <summary>Ever ready: a bidder that never was has no traffic to drain.</summary>
    public bool WasReady => _ready;

    public bool IsDraining => _draining;

    /// <summary>What <c>/readyz</c> and the status page say: draining, ready or warming up.</summary>
    public string Word => _draining ? "draining" : _ready ? "ready" : "warming up";

    public void MarkReady() => _ready = true;

    public void BeginDrain() => _draining = true;
}
