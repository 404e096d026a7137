using BidEngine.Core.Features;
using BidEngine.Model.Authoring;
using BidEngine.Training.Audit;
using BidEngine.Training.Commands;
using BidEngine.Training.Data;

namespace BidEngine.Training.Tests;

public sealed class AuditTests
{
    private static System.CommandLine.ParseResult Parse(params string[] args) => TrainingCommandLine.Parse(TrainingCommandLine.Create(TextWriter.Null, "test"), args);

    [Fact]
    public void AuditDefaultsToThreeSparsitiesAndAHalfWidth()
    {
        var result = Parse("audit");

        Assert.Empty(result.Errors);
        Assert.Equal([0.5, 0.8, 0.95], result.GetValue<double[]>("--sparsity")!);
        Assert.Equal((2, 0, "data/audit", "data/weights.bin", "data/sim.msgpack"),
            (result.GetValue<int>("--small-k"), result.GetValue<int>("--small-bits"), result.GetValue<string>("--out"), result.GetValue<string>("--weights"), result.GetValue<string>("--data")));
    }

    [Fact]
    public void AuditReadsTheSparsitiesAndSmallerShapesItIsGiven()
    {
        var result = Parse("audit", "--sparsity", "0.3, 0.6,0.99", "--small-k", "0", "--small-bits", "20", "--calls", "1_000");

        Assert.Empty(result.Errors);
        Assert.Equal([0.3, 0.6, 0.99], result.GetValue<double[]>("--sparsity")!);
        Assert.Equal((0, 20, 1000), (result.GetValue<int>("--small-k"), result.GetValue<int>("--small-bits"), result.GetValue<int>("--calls")));
        Assert.Equal([], AuditCommand.ParseSparsities("")!);
    }

    [Theory]
    [InlineData("audit --sparsity 1.5", "--sparsity")]
    [InlineData("audit --sparsity 0.5,x", "--sparsity")]
    [InlineData("audit --sparsity -0.1", "--sparsity")]
    [InlineData("audit --small-k 100", "--small-k")]
    [InlineData("audit --small-bits 30", "--small-bits")]
    [InlineData("audit --small-bits 16", "--small-bits")]
    [InlineData("export --graph dense", "--graph")]
    [InlineData("quantize --graph dense", "--graph")]
    public async Task AuditAndExportRefuseBadValuesNamingTheOption(string args, string culprit)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await TrainingCommandLine.InvokeAsync(args.Split(' '), output, error, "test");

        Assert.Equal(TrainingCommandLine.UsageExitCode, exit);
        Assert.Equal("", output.ToString());
        var text = error.ToString();
        Assert.Contains(culprit, text[..text.IndexOf("Usage:", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void HitCountsCountEachIdOfTheTrainingRowsOnly()
    {
        var data = Data(hashBits: 4, rows: [[1, 1, 2], [3, 1, 2], [9, 9, 9]]);

        var hits = RowPruning.HitCounts(data, end: 2);

        Assert.Equal(3, hits[1]);
        Assert.Equal(2, hits[2]);
        Assert.Equal(1, hits[3]);
        Assert.Equal(0, hits[9]);
        Assert.Equal(2 * FeatureSpec.FeatureCount, hits.Sum());
    }

    [Fact]
    public void PruningZeroesTheRarestRowsFirstTiesByIdAndLeavesTheRestUntouched()
    {
        var w = Weights(hashBits: 3, factorDim: 2);
        int[] hits = [5, 0, 7, 0, 1, 9, 1, 2]; // order by hits, then id: 1, 3, 4, 6, 7, 0, 2, 5

        var pruned = RowPruning.Prune(w, hits, 0.5);

        var zeroed = Enumerable.Range(0, 8).Where(i => pruned.Linear[i] == 0 && pruned.FactorsOf(i).ToArray().All(v => v == 0)).ToArray();
        Assert.Equal([1, 3, 4, 6], zeroed);
        foreach (var kept in new[] { 0, 2, 5, 7 })
        {
            Assert.Equal(w.Linear[kept], pruned.Linear[kept]);
            Assert.Equal(w.FactorsOf(kept).ToArray(), pruned.FactorsOf(kept).ToArray());
        }

        Assert.Equal(w.Bias, pruned.Bias);
        Assert.NotEqual(0f, w.Linear[1]); // the source is not changed
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.25, 2)]
    [InlineData(1.0, 8)]
    public void PruningZeroesTheRequestedShareOfRows(double sparsity, int expected)
    {
        var w = Weights(hashBits: 3, factorDim: 2);

        var pruned = RowPruning.Prune(w, new int[8], sparsity);

        Assert.Equal(expected, Enumerable.Range(0, 8).Count(i => pruned.Linear[i] == 0));
    }

    [Fact]
    public void APrunedModelPredictsAsIfThePrunedIdsWereAbsent()
    {
        var w = Weights(hashBits: 3, factorDim: 2);
        var pruned = RowPruning.Prune(w, [9, 9, 9, 9, 9, 9, 9, 0], 0.125); // only id 7 goes

        var with7 = FmTable.From(pruned).Predict([1, 7, 2]);
        var without = new CtrModelWeights(3, 2, 2, w.Bias, w.Linear, w.Factors, null).PredictReference([1, 2]);

        Assert.Equal(without, with7, 1e-6);
    }

    private static CtrModelWeights Weights(int hashBits, int factorDim)
    {
        var rng = new Random(4);
        var w = new CtrModelWeights(hashBits, factorDim, 3) { Bias = -2f };
        for (var i = 0; i < w.Linear.Length; i++)
        {
            w.Linear[i] = 0.1f + (float)rng.NextDouble();
        }

        for (var i = 0; i < w.Factors.Length; i++)
        {
            w.Factors[i] = 0.1f + (float)rng.NextDouble();
        }

        return w;
    }

    /// <summary>A dataset whose rows hold the given ids in their first fields (the rest id 0).</summary>
    private static Dataset Data(int hashBits, int[][] rows)
    {
        var ids = new int[rows.Length * FeatureSpec.FeatureCount];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r].CopyTo(ids, r * FeatureSpec.FeatureCount);
        }

        return new Dataset
        {
            HashBits = hashBits,
            Count = rows.Length,
            Ids = ids,
            Labels = new byte[rows.Length],
            Truth = null,
            TimestampsMs = new long[rows.Length],
            Cell = new int[rows.Length],
            Cells = [],
            Bids = rows.Length,
            Wins = rows.Length,
            Clicks = 0,
        };
    }
}
