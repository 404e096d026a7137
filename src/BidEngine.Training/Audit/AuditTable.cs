using System.Globalization;
using System.Text;

namespace BidEngine.Training.Audit;

/// <summary>The audit as a markdown table, one line per variant.</summary>
internal static class AuditTable
{
    public static string Markdown(IReadOnlyList<AuditRow> rows, double ceilingAuc)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"| variant | graph | AUC (ceiling {ceilingAuc:F4}) | gap | log-loss | worst decile vs truth | file MB | gzip MB | CPU µs/call, batch 1 | CPU µs/row, batch 32 | bidder CPU µs/query | bidder req/s |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Variant} | {r.Graph} | {r.Auc:F4} | {r.AucGapToCeiling:F4} | {r.LogLoss:F5} | {r.MaxDecileErrorVsTruth:P1} | {r.FileBytes / 1e6:F2} | {r.GzipBytes / 1e6:F2} | {r.MicrosBatch1:F2} | {r.MicrosPerRowBatch32:F3} | {Cell(r.BidderCpuMicrosPerQuery)} | {Cell(r.BidderRequestsPerSecond)} |");
        }

        return s.ToString();
    }

    private static string Cell(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "–";
}
