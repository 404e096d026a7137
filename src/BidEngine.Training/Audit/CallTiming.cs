using System.Diagnostics;
using BidEngine.Core.Deadlines;
using BidEngine.Model;
using BidEngine.Training.Data;

namespace BidEngine.Training.Audit;

/// <summary>
/// A quick in-process timing of one scorer call (<see cref="OnnxCtrScorer.ScoreAsync"/>, as the bidder
/// calls it) on held-out rows: the best of 5 rounds, in process CPU time per call, so that other
/// processes on the machine inflate it less than wall time. A tool's estimate, not a benchmark (the
/// BenchmarkDotNet runs in loadtests/BidEngine.Benchmarks/ModelCall are).
/// </summary>
internal static class CallTiming
{
    public static double MicrosPerCall(string modelPath, Dataset data, int firstRow, int rows, int calls)
    {
        using var scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = modelPath, MaxBatchRows = Math.Max(rows, 1) });
        scorer.Warmup();
        var slot = scorer.Rent(rows);
        try
        {
            for (var r = 0; r < rows; r++)
            {
                var source = data.Row(firstRow + r);
                var target = slot.Features(r);
                for (var f = 0; f < source.Length; f++)
                {
                    target[f] = source[f];
                }
            }

            for (var i = 0; i < calls / 4; i++)
            {
                Score(scorer, slot);
            }

            var best = double.MaxValue;
            var process = Process.GetCurrentProcess();
            for (var round = 0; round < 5; round++)
            {
                process.Refresh();
                var start = process.TotalProcessorTime;
                for (var i = 0; i < calls; i++)
                {
                    Score(scorer, slot);
                }

                process.Refresh();
                best = Math.Min(best, (process.TotalProcessorTime - start).TotalMicroseconds / calls);
            }

            return best;
        }
        finally
        {
            scorer.Return(slot);
        }
    }

    private static void Score(OnnxCtrScorer scorer, Core.Scoring.ScoringRows rows)
    {
        var pending = scorer.ScoreAsync(rows, ModelTimeLimit.None);
        if (!(pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult()))
        {
            throw new InvalidOperationException("the scorer refused a call without a deadline");
        }
    }
}
