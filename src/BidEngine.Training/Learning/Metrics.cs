namespace BidEngine.Training.Learning;

/// <summary>AUC, log-loss and calibration by decile of predictions against 0/1 labels.</summary>
internal static class Metrics
{
    public sealed record Decile(int Index, long Rows, double MeanPredicted, double Observed, double MeanTruth, long Clicks)
    {
        /// <summary>Predicted / observed − 1.</summary>
        public double ObservedError => Observed > 0 ? (MeanPredicted / Observed) - 1 : double.NaN;

        /// <summary>Predicted / mean true probability − 1 (simulated data only).</summary>
        public double TruthError => MeanTruth > 0 ? (MeanPredicted / MeanTruth) - 1 : double.NaN;
    }

    public sealed record Report(long Rows, long Clicks, double Auc, double LogLoss, double MeanPredicted, double Observed, IReadOnlyList<Decile> Deciles);

    public static Report Evaluate(ReadOnlySpan<double> predicted, ReadOnlySpan<byte> labels, ReadOnlySpan<float> truth = default)
    {
        var n = predicted.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = predicted.ToArray();
        Array.Sort(keys, order);

        // AUC by the rank-sum (Mann–Whitney) with ties given their mean rank.
        double rankSumPositives = 0;
        long positives = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && keys[j + 1] == keys[i])
            {
                j++;
            }

            var meanRank = ((i + j) / 2.0) + 1;
            for (var t = i; t <= j; t++)
            {
                if (labels[order[t]] == 1)
                {
                    rankSumPositives += meanRank;
                    positives++;
                }
            }

            i = j + 1;
        }

        var negatives = n - positives;
        var auc = positives == 0 || negatives == 0 ? double.NaN : (rankSumPositives - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);

        double loss = 0, sumP = 0;
        for (var i = 0; i < n; i++)
        {
            var p = Math.Clamp(predicted[i], 1e-15, 1 - 1e-15);
            loss -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
            sumP += predicted[i];
        }

        var deciles = new List<Decile>(10);
        for (var d = 0; d < 10; d++)
        {
            var from = (int)((long)n * d / 10);
            var to = (int)((long)n * (d + 1) / 10);
            double sp = 0, st = 0;
            long clicks = 0;
            for (var t = from; t < to; t++)
            {
                sp += keys[t];
                clicks += labels[order[t]];
                st += truth.IsEmpty ? 0 : truth[order[t]];
            }

            var rows = Math.Max(1, to - from);
            deciles.Add(new Decile(d + 1, to - from, sp / rows, (double)clicks / rows, truth.IsEmpty ? double.NaN : st / rows, clicks));
        }

        return new Report(n, positives, auc, loss / Math.Max(1, n), sumP / Math.Max(1, n), (double)positives / Math.Max(1, n), deciles);
    }
}
