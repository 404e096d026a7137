using BidEngine.Model.Authoring;

namespace BidEngine.Model.Tests;

/// <summary>Random weights and ids for tests; seeded so a failure reproduces.</summary>
internal static class TestModels
{
    public static CtrModelWeights Random(int hashBits = 10, int factorDim = 4, int featureCount = 6, int seed = 42)
    {
        var rng = new Random(seed);
        var w = new CtrModelWeights(hashBits, factorDim, featureCount)
        {
            Bias = -3.0f,
            Metadata = new Dictionary<string, string>
            {
                ["feature_spec_version"] = "7",
                ["training.summary"] = "test weights, seed " + seed,
                ["metrics.auc"] = "0.75",
            },
        };
        for (var i = 0; i < w.Linear.Length; i++)
        {
            w.Linear[i] = (float)(rng.NextDouble() - 0.5) * 0.8f;
        }

        for (var i = 0; i < w.Factors.Length; i++)
        {
            w.Factors[i] = (float)(rng.NextDouble() - 0.5) * 0.6f;
        }

        return w;
    }

    public static long[] Ids(int rows, int featureCount, int hashBits, int seed)
    {
        var rng = new Random(seed);
        var ids = new long[rows * featureCount];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = rng.NextInt64(1L << hashBits);
        }

        return ids;
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bidengine-model-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
