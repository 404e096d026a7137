using BidEngine.Core.Pipeline;

namespace BidEngine.Server.Endpoints;

/// <summary>Counters of what the bid endpoint answered. Lock-free; read by <c>/metrics</c>.</summary>
internal sealed class BidMetrics
{
    private readonly long[] _paths = new long[Enum.GetValues<ScoringPath>().Length];
    private long _bids;
    private long _noBids;
    private long _refused;
    private long _failed;

    public long Bids => Interlocked.Read(ref _bids);

    public long NoBids => Interlocked.Read(ref _noBids);

    public long RefusedCount => Interlocked.Read(ref _refused);

    public long FailedCount => Interlocked.Read(ref _failed);

    public long PathCount(ScoringPath path) => Interlocked.Read(ref _paths[(int)path]);

    public void Answered(ScoringPath path, bool bid)
    {
        Interlocked.Increment(ref _paths[(int)path]);
        Interlocked.Increment(ref bid ? ref _bids : ref _noBids);
    }

    public void Refused() => Interlocked.Increment(ref _refused);

    public void Failed() => Interlocked.Increment(ref _failed);
}
