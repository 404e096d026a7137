using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Features;
using BidEngine.Core.Scoring;

namespace BidEngine.Server.Tests;

/// <summary>
/// A scorer that, once <see cref="Slow"/> is set, takes <paramref name="delay"/> to answer and
/// reports <paramref name="claimedCost"/> as its cost: the seam for deadline tests. It ignores the
/// limit on purpose; the pipeline must not wait for it past the point where the heuristic can
/// still answer. Fast until then, so the host's warm-up does not crawl.
/// </summary>
internal sealed class SlowScorer(TimeSpan delay, TimeSpan claimedCost) : ICtrScorer
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public bool Slow { get; set; }

    public string Name => "slow";

    public int FeatureCount => FeatureSpec.FeatureCount;

    public int HashBits => FeatureSpec.DefaultHashBits;

    public int MaxRows => 128;

    public long EstimatedCostTicks(int rows) => Slow ? (long)(claimedCost.TotalSeconds * Stopwatch.Frequency) : 0;

    public ScoringRows Rent(int rows) => new Rows(rows, FeatureCount);

    public async ValueTask<bool> ScoreAsync(ScoringRows rows, ModelTimeLimit limit, CancellationToken cancellationToken = default)
    {
        if (!Slow)
        {
            return true;
        }

        Interlocked.Increment(ref _calls);
        await Task.Delay(delay, CancellationToken.None);
        return true;
    }

    public void Return(ScoringRows rows)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Rows : ScoringRows
    {
        private readonly long[] _ids;
        private readonly int _features;

        public Rows(int count, int features)
        {
            Count = count;
            _features = features;
            _ids = new long[count * features];
        }

        public override Span<long> Features(int row) => _ids.AsSpan(row * _features, _features);

        public override float Probability(int row) => 0.5f;
    }
}
