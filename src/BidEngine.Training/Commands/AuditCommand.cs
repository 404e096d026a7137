using System.CommandLine;
using System.Globalization;
using BidEngine.Training.Audit;

namespace BidEngine.Training.Commands;

/// <summary>
/// audit: latency and size against accuracy, one table for every model variant (see <see cref="ModelAudit"/>).
/// Needs the event log and the weights train wrote (models/regenerate.sh --keep-data true keeps both).
/// </summary>
internal static class AuditCommand
{
    public const string DefaultSparsities = "0.5,0.8,0.95";

    public static Command Create(TextWriter o)
    {
        var data = CliOptions.Text("--data", "data/sim.msgpack", "the event log the weights were trained on");
        var weights = CliOptions.Text("--weights", "data/weights.bin", "the weights written by train");
        var output = CliOptions.Text("--out", "data/audit", "the folder the variants and the table (audit.md, audit.json) are written to");
        var holdout = CliOptions.Double("--holdout", TrainCommand.DefaultHoldout, 0.01, 0.9, "share held out at the end, as train used it");
        var calibration = CliOptions.Double("--calibration", TrainCommand.DefaultCalibration, 0, 0.5, "share before the hold-out that fitted Platt scaling, as train used it");
        var sparsity = new Option<double[]>("--sparsity")
        {
            Description = "shares of the hash rows, fewest hits first, set to zero: one pruned variant each (comma-separated, each in 0..1)",
            HelpName = "list",
            DefaultValueFactory = _ => ParseSparsities(DefaultSparsities)!,
            CustomParser = r =>
            {
                var parsed = ParseSparsities(r.Tokens[0].Value);
                if (parsed is null)
                {
                    r.AddError($"--sparsity must be comma-separated numbers in 0..1, got '{r.Tokens[0].Value}'");
                    return [];
                }

                return parsed;
            },
        };
        var smallK = CliOptions.Int("--small-k", 2, 0, 64, "factor width of the retrained smaller variant (0: none)");
        // The feature spec fixes the hash space to MinHashBits..MaxHashBits (18..22 in ctr-features-v1): fewer bits than the
        // shipped 18 would be a new spec version, so by default there is no fewer-bits variant.
        var smallBits = new Option<int>("--small-bits")
        {
            Description = $"hash bits of a retrained variant (0: none; else {Core.Features.FeatureSpec.MinHashBits}..{Core.Features.FeatureSpec.MaxHashBits}, the feature spec's range)",
            HelpName = "n",
            DefaultValueFactory = _ => 0,
            CustomParser = r =>
            {
                var text = r.Tokens[0].Value;
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bits)
                    && (bits == 0 || (bits >= Core.Features.FeatureSpec.MinHashBits && bits <= Core.Features.FeatureSpec.MaxHashBits)))
                {
                    return bits;
                }

                r.AddError($"--small-bits must be 0 or {Core.Features.FeatureSpec.MinHashBits}..{Core.Features.FeatureSpec.MaxHashBits} (the feature spec's hash range), got '{text}'");
                return 0;
            },
        };
        var calls = CliOptions.Int("--calls", 20_000, 100, 10_000_000, "scorer calls per timing round at batch 1 (an eighth at batch 32); best of 5 rounds");
        var trainer = new TrainerOptions("--train-seed");
        var command = new Command("audit", "Latency and size against accuracy: writes each model variant (fp32, int8, the previous graph, pruned, smaller k, fewer hash bits), scores the hold-out through the bidder's scorer, times a call, and prints one table.")
            .With([data, weights, output, holdout, calibration, sparsity, smallK, smallBits, calls, .. trainer.All]);
        command.SetAction(async (r, token) =>
        {
            var settings = new AuditSettings
            {
                DataPath = r.GetRequiredValue(data),
                WeightsPath = r.GetRequiredValue(weights),
                OutputFolder = r.GetRequiredValue(output),
                Holdout = r.GetValue(holdout),
                Calibration = r.GetValue(calibration),
                Sparsities = r.GetRequiredValue(sparsity),
                SmallFactorDim = r.GetValue(smallK),
                SmallHashBits = r.GetValue(smallBits),
                Calls = r.GetValue(calls),
                Trainer = trainer.Read(r),
            };
            var rows = await new ModelAudit(settings, o).RunAsync().ConfigureAwait(false);
            var ceiling = rows.Count > 0 ? rows[0].Auc + rows[0].AucGapToCeiling : double.NaN;
            var markdown = AuditTable.Markdown(rows, ceiling);
            o.WriteLine();
            o.Write(markdown);
            o.WriteLine("CPU µs: process CPU time per scorer call, best of 5 rounds; the bidder's CPU per query and throughput come from a load run (loadtests/perf.sh), not from this tool.");
            await File.WriteAllTextAsync(Path.Combine(settings.OutputFolder, "audit.md"), markdown, token).ConfigureAwait(false);
            Report.WriteJson(Path.Combine(settings.OutputFolder, "audit.json"), rows);
            o.WriteLine($"  wrote {Path.Combine(settings.OutputFolder, "audit.md")} and audit.json");
            return 0;
        });
        return command;
    }

    /// <summary>"0.5,0.9" → [0.5, 0.9]; null when a part is not a number in 0..1. Empty text: no pruned variants.</summary>
    public static double[]? ParseSparsities(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] is < 0 or > 1 || double.IsNaN(values[i]))
            {
                return null;
            }
        }

        return values;
    }
}
