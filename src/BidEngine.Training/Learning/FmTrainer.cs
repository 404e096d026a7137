using System.Diagnostics;
using BidEngine.Core.Features;
using BidEngine.Model.Authoring;
using BidEngine.Training.Data;
using BidEngine.Training.Simulation;

namespace BidEngine.Training.Learning;

/// <summary>
/// Trains logistic regression plus a second-order factorization machine (Rendle 2010) over the
/// hashed ids: the factors (and the bias) with per-coordinate AdaGrad (Duchi et al. 2011) and L2
/// applied lazily to the ids a row touches; the linear weights with AdaGrad too or, when
/// <see cref="FmTrainerOptions.LinearFtrl"/> is set, with FTRL-Proximal (McMahan et al. 2013),
/// whose fixed L2 keeps rare ids near 0 while common ones move freely. Single-threaded and seeded: the same data, options and seed give the
/// same weights bit for bit. Rows are visited in a seeded shuffle each epoch.
/// About 19 ids × (1 + k) multiply-adds forward and the same backward per row.
/// </summary>
internal sealed class FmTrainer
{
    private const double Epsilon = 1e-8;

    private readonly FmTrainerOptions _options;

    public FmTrainer(FmTrainerOptions options)
    {
        _options = options;
    }

    /// <summary>Trains on rows [0, <paramref name="end"/>) of <paramref name="data"/>.</summary>
    public CtrModelWeights Train(Dataset data, int end, TextWriter? progress = null)
    {
        const int F = FeatureSpec.FeatureCount;
        var k = _options.FactorDim;
        var rows = 1 << data.HashBits;
        var random = new Random(_options.Seed);
        var linear = new float[rows];
        var factors = new float[rows * k];
        for (var i = 0; i < factors.Length; i++)
        {
            factors[i] = (float)Gaussian.Next(random, _options.InitSigma);
        }

        var linearG = new float[rows];

        // FTRL-Proximal state of the linear part: z (the adjusted gradient sum); linearG holds n = Σg².
        var ftrl = _options.LinearFtrl;
        var linearZ = ftrl ? new float[rows] : [];
        var alpha = _options.FtrlAlpha;
        var beta = _options.FtrlBeta;
        var l1 = _options.FtrlL1;
        var l2 = _options.FtrlL2;
        var factorG = new float[rows * k];
        long positives = 0;
        for (var i = 0; i < end; i++)
        {
            positives += data.Labels[i];
        }

        var mean = Math.Clamp((positives + 0.5) / (end + 1.0), 1e-6, 1 - 1e-6);
        double bias = Math.Log(mean / (1 - mean));
        double biasG = 0;

        var order = new int[end];
        for (var i = 0; i < end; i++)
        {
            order[i] = i;
        }

        Span<double> sum = stackalloc double[k];
        var watch = Stopwatch.StartNew();
        var linearRate = _options.LinearRate;
        var factorRate = _options.FactorRate;
        var l2w = _options.LinearL2;
        var l2v = _options.FactorL2;
        for (var epoch = 0; epoch < _options.Epochs; epoch++)
        {
            if (epoch > 0)
            {
                linearRate *= _options.EpochRateDecay;
                factorRate *= _options.EpochRateDecay;
                alpha *= _options.EpochRateDecay;
            }

            random.Shuffle(order);
            double lossSum = 0;
            for (var n = 0; n < end; n++)
            {
                var row = data.Row(order[n]);
                var y = data.Labels[order[n]];

                // Forward: logit = b + Σ w + ½ Σ_k [(Σ v)² − Σ v²].
                sum.Clear();
                double logit = bias, squares = 0;
                for (var f = 0; f < F; f++)
                {
                    var id = row[f];
                    if (ftrl)
                    {
                        linear[id] = FtrlWeight(linearZ[id], linearG[id], alpha, beta, l1, l2);
                    }

                    logit += linear[id];
                    var v = factors.AsSpan(id * k, k);
                    for (var j = 0; j < k; j++)
                    {
                        sum[j] += v[j];
                        squares += v[j] * (double)v[j];
                    }
                }

                for (var j = 0; j < k; j++)
                {
                    logit += 0.5 * sum[j] * sum[j];
                }

                logit -= 0.5 * squares;
                var p = 1.0 / (1.0 + Math.Exp(-Math.Clamp(logit, -35, 35)));
                lossSum -= y == 1 ? Math.Log(Math.Max(p, 1e-15)) : Math.Log(Math.Max(1 - p, 1e-15));
                var g = p - y;

                // Backward, AdaGrad per coordinate.
                biasG += g * g;
                bias -= linearRate * g / Math.Sqrt(biasG + Epsilon);
                for (var f = 0; f < F; f++)
                {
                    var id = row[f];
                    if (ftrl)
                    {
                        // z += g − σ·w with σ = (√(n + g²) − √n) / α; w is recomputed from (z, n) when next read.
                        var n0 = (double)linearG[id];
                        var n1 = n0 + (g * g);
                        linearZ[id] += (float)(g - ((Math.Sqrt(n1) - Math.Sqrt(n0)) / alpha * linear[id]));
                        linearG[id] = (float)n1;
                    }
                    else
                    {
                        var gw = g + (l2w * linear[id]);
                        linearG[id] += (float)(gw * gw);
                        linear[id] -= (float)(linearRate * gw / Math.Sqrt(linearG[id] + Epsilon));
                    }

                    var v = factors.AsSpan(id * k, k);
                    var gv = factorG.AsSpan(id * k, k);
                    for (var j = 0; j < k; j++)
                    {
                        var grad = (g * (sum[j] - v[j])) + (l2v * v[j]);
                        gv[j] += (float)(grad * grad);
                        v[j] -= (float)(factorRate * grad / Math.Sqrt(gv[j] + Epsilon));
                    }
                }

                if (progress is not null && (n + 1) % 1_000_000 == 0)
                {
                    progress.WriteLine($"  epoch {epoch + 1}/{_options.Epochs}: {n + 1:N0}/{end:N0} rows, log-loss {lossSum / (n + 1):F5}, {watch.Elapsed.TotalSeconds:F0} s");
                }
            }

            progress?.WriteLine($"  epoch {epoch + 1}/{_options.Epochs} done: train log-loss {lossSum / Math.Max(1, end):F5} (progressive), {watch.Elapsed.TotalSeconds:F0} s");
        }

        if (ftrl)
        {
            for (var id = 0; id < rows; id++)
            {
                linear[id] = FtrlWeight(linearZ[id], linearG[id], alpha, beta, l1, l2);
            }
        }

        return new CtrModelWeights(data.HashBits, k, F, (float)bias, linear, factors, null);
    }

    /// <summary>The FTRL-Proximal closed form: 0 inside the L1 band, else −(z − sign(z)·λ1) / ((β + √n)/α + λ2).</summary>
    private static float FtrlWeight(float z, float n, double alpha, double beta, double l1, double l2)
    {
        if (Math.Abs(z) <= l1)
        {
            return 0f;
        }

        return (float)(-(z - (Math.Sign(z) * l1)) / (((beta + Math.Sqrt(n)) / alpha) + l2));
    }

    /// <summary>The model's probability for one row of int ids, float tables, double sums: the same math as <see cref="CtrModelWeights.PredictReference"/>.</summary>
    public static double Predict(CtrModelWeights w, ReadOnlySpan<int> row) => 1.0 / (1.0 + Math.Exp(-Logit(w, row)));

    /// <summary>The model's logit for one row (what <see cref="PlattScaling"/> rescales).</summary>
    public static double Logit(CtrModelWeights w, ReadOnlySpan<int> row)
    {
        var k = w.FactorDim;
        Span<double> sum = stackalloc double[k];
        sum.Clear();
        double logit = w.Bias, squares = 0;
        foreach (var id in row)
        {
            logit += w.Linear[id];
            var v = w.Factors.AsSpan(id * k, k);
            for (var j = 0; j < k; j++)
            {
                sum[j] += v[j];
                squares += v[j] * (double)v[j];
            }
        }

        for (var j = 0; j < k; j++)
        {
            logit += 0.5 * sum[j] * sum[j];
        }

        logit -= 0.5 * squares;
        return logit;
    }
}
