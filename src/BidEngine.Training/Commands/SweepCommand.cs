using System.CommandLine;
using System.Globalization;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>
/// Loads the data once and trains several option sets on the training part, scoring each on the
/// calibration slice (never the hold-out) raw and after Platt scaling: how the defaults were chosen.
/// </summary>
internal static class SweepCommand
{
    public static Command Create(TextWriter o)
    {
        var data = CliOptions.Text("--data", "data/sim.msgpack", "the event log");
        var grid = CliOptions.Text("--grid", "", "option sets separated by ';', each name=number pairs separated by ',' (k, epochs, seed, lr, lr-factors, l2, l2-linear, init, decay, ftrl, alpha, beta, l1, ftrl-l2), e.g. \"k=4,epochs=2;k=8,lr=0.1\"");
        var bits = CliOptions.Int("--bits", Core.Features.FeatureSpec.DefaultHashBits, Core.Features.FeatureSpec.MinHashBits, Core.Features.FeatureSpec.MaxHashBits, "bits of the hashed id space");
        var holdout = CliOptions.Double("--holdout", TrainCommand.DefaultHoldout, 0.01, 0.9, "share held out at the end (never scored here)");
        var calibration = CliOptions.Double("--calibration", TrainCommand.DefaultCalibration, 0.01, 0.5, "share before the hold-out that each option set is scored on");
        var parallel = CliOptions.Int("--parallel", 2, 1, 64, "option sets trained at once");
        var command = new Command("sweep", "Trains several option sets on the training part and scores each on the calibration slice, raw and after Platt scaling.")
            .With(data, grid, bits, holdout, calibration, parallel);
        command.SetAction((r, _) => RunAsync(r.GetRequiredValue(data), r.GetRequiredValue(grid), r.GetValue(bits), r.GetValue(holdout), r.GetValue(calibration), r.GetValue(parallel), o));
        return command;
    }

    private static async Task<int> RunAsync(string dataPath, string grid, int bits, double holdout, double calibration, int parallel, TextWriter o)
    {
        var configs = grid.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();
        if (configs.Count == 0)
        {
            throw new UsageException("--grid needs at least one option set, such as \"k=4,epochs=2\"");
        }

        var data = await DatasetLoader.LoadAsync(dataPath, bits, o).ConfigureAwait(false);
        var split = data.HoldoutStart(holdout);
        var trainEnd = data.HoldoutStart(holdout + calibration);
        var labels = data.Labels.AsSpan(trainEnd, split - trainEnd).ToArray();
        var truth = data.Truth?.AsSpan(trainEnd, split - trainEnd).ToArray();
        var ceiling = truth is null ? null : Metrics.Evaluate(truth.Select(t => (double)t).ToArray(), labels, truth);
        o.WriteLine($"sweep: training on {trainEnd:N0} rows, scoring on the next {split - trainEnd:N0} ({labels.Sum(y => y):N0} clicks); ceiling AUC {ceiling?.Auc:F4}, log-loss {ceiling?.LogLoss:F5}");
        var lines = new string[configs.Count];
        Parallel.For(0, configs.Count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, c =>
        {
            var (name, options) = configs[c];
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var weights = new FmTrainer(options).Train(data, trainEnd);
            var logits = new double[split - trainEnd];
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i] = FmTrainer.Logit(weights, data.Row(trainEnd + i));
            }

            var raw = Metrics.Evaluate(logits.Select(z => 1.0 / (1.0 + Math.Exp(-z))).ToArray(), labels, truth);
            var (a, b) = PlattScaling.Fit(logits, labels);
            var scaled = Metrics.Evaluate(logits.Select(z => 1.0 / (1.0 + Math.Exp(-((a * z) + b)))).ToArray(), labels, truth);
            lines[c] = string.Create(CultureInfo.InvariantCulture, $"  {name,-48} AUC {raw.Auc:F4}  log-loss raw {raw.LogLoss:F5} Platt {scaled.LogLoss:F5}  a {a:F3} b {b:+0.000;-0.000}  worst decile vs truth raw {MaxTruthError(raw):P0} Platt {MaxTruthError(scaled):P0}  {watch.Elapsed.TotalSeconds:F0} s");
            o.WriteLine(lines[c]);
        });
        o.WriteLine("sweep: in grid order");
        foreach (var line in lines)
        {
            o.WriteLine(line);
        }

        return 0;
    }

    private static double MaxTruthError(Metrics.Report r) => r.Deciles.Max(d => Math.Abs(d.TruthError));

    private static (string Name, FmTrainerOptions Options) Parse(string text)
    {
        var options = new FmTrainerOptions();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                throw new UsageException($"bad grid entry '{pair}' (expected name=number)");
            }

            options = parts[0] switch
            {
                "k" => options with { FactorDim = (int)v },
                "epochs" => options with { Epochs = (int)v },
                "seed" => options with { Seed = (int)v },
                "lr" => options with { LinearRate = v },
                "lr-factors" => options with { FactorRate = v },
                "l2" => options with { FactorL2 = v },
                "l2-linear" => options with { LinearL2 = v },
                "init" => options with { InitSigma = v },
                "decay" => options with { EpochRateDecay = v },
                "ftrl" => options with { LinearFtrl = v != 0 },
                "alpha" => options with { FtrlAlpha = v },
                "beta" => options with { FtrlBeta = v },
                "l1" => options with { FtrlL1 = v },
                "ftrl-l2" => options with { FtrlL2 = v },
                _ => throw new UsageException($"unknown grid option '{parts[0]}'"),
            };
        }

        return (text, options);
    }
}
