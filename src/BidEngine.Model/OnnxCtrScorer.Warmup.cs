using System.Diagnostics;

namespace BidEngine.Model;

public sealed partial class OnnxCtrScorer
{
    /// <summary>
    /// Runs every bucket: one cold run (ORT plans memory per input shape on first sight), then
    /// <see cref="ModelOptions.WarmupRunsPerBucket"/> timed runs whose mean seeds
    /// <see cref="EstimatedCostTicks"/>. Call before /readyz turns 200.
    /// </summary>
    public void Warmup()
    {
        var runs = Options.WarmupRunsPerBucket;
        foreach (var bucket in _buckets)
        {
            var slot = bucket.Rent();
            try
            {
                slot.SetCount(bucket.Rows);
                var ids = slot.Input;
                var mask = (1L << HashBits) - 1;
                for (var i = 0; i < ids.Length; i++)
                {
                    ids[i] = (i * 0x9E3779B1L) & mask;
                }

                Run(slot, long.MaxValue);
                long total = 0;
                for (var r = 0; r < runs; r++)
                {
                    var start = Stopwatch.GetTimestamp();
                    Run(slot, long.MaxValue);
                    total += Stopwatch.GetTimestamp() - start;
                }

                bucket.SeedCost(total / runs);
            }
            finally
            {
                bucket.Return(slot);
            }
        }

        IsWarm = true;
    }
}
