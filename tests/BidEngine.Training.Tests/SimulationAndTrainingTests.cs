using BidEngine.Core.Events;
using BidEngine.Training.Commands;
using BidEngine.Training.Data;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Tests;

public sealed class SimulationAndTrainingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bidengine-training-").FullName;

    private static string CampaignsPath => Path.Combine(AppContext.BaseDirectory, "campaigns.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SimulateWritesTheSameBytesForTheSameSeed()
    {
        var a = Path.Combine(_dir, "a.msgpack");
        var b = Path.Combine(_dir, "b.msgpack");
        var c = Path.Combine(_dir, "c.msgpack");
        SimulateCommand.Simulate(3000, 7, a, 14, CampaignsPath, 10, null);
        SimulateCommand.Simulate(3000, 7, b, 14, CampaignsPath, 10, null);
        SimulateCommand.Simulate(3000, 8, c, 14, CampaignsPath, 10, null);

        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        Assert.Equal(File.ReadAllBytes(TruthFile.PathFor(a)), File.ReadAllBytes(TruthFile.PathFor(b)));
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));
    }

    [Fact]
    public async Task SimulateLogsBidsWinsAndClicksThatJoin()
    {
        var path = Path.Combine(_dir, "sim.msgpack");
        var summary = SimulateCommand.Simulate(20_000, 3, path, 14, CampaignsPath, 10, null);
        var counts = new Dictionary<Type, int>();
        using (var reader = EventStreamReader.Open(path))
        {
            await foreach (var record in reader.ReadAllAsync())
            {
                counts[record.GetType()] = counts.GetValueOrDefault(record.GetType()) + 1;
            }
        }

        Assert.Equal(20_000, counts[typeof(BidEvent)]);
        Assert.Equal(summary.Wins, counts[typeof(WinEvent)]);
        Assert.Equal(summary.Clicks, counts.GetValueOrDefault(typeof(ClickEvent)));
        Assert.InRange(summary.MeanTruth, 0.007, 0.013);

        var data = await DatasetLoader.LoadAsync(path, 18);
        Assert.Equal(summary.Wins, data.Count);
        Assert.Equal(summary.Clicks, data.Clicks);
        Assert.NotNull(data.Truth);
        Assert.All(data.Truth!, p => Assert.InRange(p, 0.0005f, 0.05f));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ASmallTrainingRunBeatsAConstantPredictorOnHeldOutAuc(bool ftrl)
    {
        var path = Path.Combine(_dir, "train.msgpack");
        SimulateCommand.Simulate(150_000, 11, path, 14, CampaignsPath, 10, null);
        var data = await DatasetLoader.LoadAsync(path, 18);
        var split = data.HoldoutStart(0.25);

        var weights = new FmTrainer(new FmTrainerOptions { Epochs = 1, Seed = 3, LinearFtrl = ftrl }).Train(data, split);
        var predicted = Enumerable.Range(split, data.Count - split).Select(i => FmTrainer.Predict(weights, data.Row(i))).ToArray();
        var report = Metrics.Evaluate(predicted, data.Labels.AsSpan(split));

        // A constant has AUC 0.5 by definition; the ground truth's is about 0.75.
        Assert.True(report.Auc > 0.58, $"AUC {report.Auc}");
        Assert.Equal(FmTrainer.Predict(weights, data.Row(split)), weights.PredictReference(data.Row(split).ToArray().Select(id => (long)id).ToArray()), 9);
    }

    [Fact]
    public async Task TrainingIsDeterministicForASeed()
    {
        var path = Path.Combine(_dir, "det.msgpack");
        SimulateCommand.Simulate(20_000, 5, path, 14, CampaignsPath, 10, null);
        var data = await DatasetLoader.LoadAsync(path, 18);
        var a = new FmTrainer(new FmTrainerOptions { Seed = 9 }).Train(data, data.Count);
        var b = new FmTrainer(new FmTrainerOptions { Seed = 9 }).Train(data, data.Count);
        Assert.Equal(a.Bias, b.Bias);
        Assert.Equal(a.Linear, b.Linear);
        Assert.Equal(a.Factors, b.Factors);
    }

    [Fact]
    public void MetricsGiveAucOneForAPerfectRankingAndHalfForTies()
    {
        byte[] labels = [0, 0, 1, 1];
        Assert.Equal(1.0, Metrics.Evaluate([0.1, 0.2, 0.3, 0.4], labels).Auc);
        Assert.Equal(0.5, Metrics.Evaluate([0.2, 0.2, 0.2, 0.2], labels).Auc);
        Assert.Equal(0.0, Metrics.Evaluate([0.4, 0.3, 0.2, 0.1], labels).Auc);
    }
}
