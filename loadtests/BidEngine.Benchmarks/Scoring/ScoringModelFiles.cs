using BidEngine.Core.Features;
using BidEngine.Model.Authoring;

namespace BidEngine.Benchmarks.Scoring;

/// <summary>
/// A model of the production shape (feature spec's F, default hash bits, k = 8), random weights,
/// written once per process as fp32 and int8 into a temp folder.
/// </summary>
internal static class ScoringModelFiles
{
    public const int FactorDim = 8;

    private static readonly Lazy<(string Fp32, string Int8)> Files = new(Write);

    public static int FeatureCount => FeatureSpec.FeatureCount;

    public static int HashBits => FeatureSpec.DefaultHashBits;

    public static string Path(string precision) => precision == "int8" ? Files.Value.Int8 : Files.Value.Fp32;

    /// <summary>Fills rows with random ids in range, as the feature hasher would.</summary>
    public static void Fill(BidEngine.Core.Scoring.ScoringRows rows, Random rng)
    {
        for (var r = 0; r < rows.Count; r++)
        {
            var ids = rows.Features(r);
            for (var f = 0; f < ids.Length; f++)
            {
                ids[f] = rng.NextInt64(1L << HashBits);
            }
        }
    }

    /// <summary>Unbatched scoring completes synchronously; this reads the result without the ValueTask misuse CA2012 warns of.</summary>
    public static bool Wait(ValueTask<bool> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static (string, string) Write()
    {
        var rng = new Random(11);
        var w = new CtrModelWeights(HashBits, FactorDim, FeatureCount) { Bias = -4f };
        for (var i = 0; i < w.Linear.Length; i++)
        {
            w.Linear[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
        }

        for (var i = 0; i < w.Factors.Length; i++)
        {
            w.Factors[i] = (float)(rng.NextDouble() - 0.5) * 0.1f;
        }

        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bidengine-bench-models", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return OnnxModelWriter.WriteBoth(w, dir);
    }
}
