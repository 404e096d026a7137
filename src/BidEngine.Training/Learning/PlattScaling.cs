using BidEngine.Model.Authoring;

namespace BidEngine.Training.Learning;

/// <summary>
/// Platt scaling (Platt 1999): p' = σ(a · logit + b), fitted by Newton's method on the log-loss of
/// a slice the model was not trained on. For this model family it folds into the weights exactly:
/// the logit is bias + Σ linear + a quadratic form in the factors, so scaling the bias and linear
/// weights by a, the factors by √a and adding b to the bias gives a · logit + b, and the exported
/// graph's own output is calibrated (no extra node, no change to the ONNX contract).
/// </summary>
internal static class PlattScaling
{
    /// <summary>Fits (a, b) on <paramref name="logits"/> against 0/1 <paramref name="labels"/>; starts at the identity.</summary>
    public static (double A, double B) Fit(ReadOnlySpan<double> logits, ReadOnlySpan<byte> labels, int iterations = 50)
    {
        if (logits.Length != labels.Length)
        {
            throw new ArgumentException("one label per logit is needed", nameof(labels));
        }

        double a = 1, b = 0;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            // Gradient and Hessian of the mean log-loss in (a, b).
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (var i = 0; i < logits.Length; i++)
            {
                var z = logits[i];
                var p = 1.0 / (1.0 + Math.Exp(-((a * z) + b)));
                var g = p - labels[i];
                var w = p * (1 - p);
                ga += g * z;
                gb += g;
                haa += w * z * z;
                hab += w * z;
                hbb += w;
            }

            // A little ridge keeps the 2 × 2 solve defined on degenerate slices (one class, one score).
            haa += 1e-9 * logits.Length;
            hbb += 1e-9 * logits.Length;
            var det = (haa * hbb) - (hab * hab);
            if (!(det > 0))
            {
                break;
            }

            var da = ((hbb * ga) - (hab * gb)) / det;
            var db = ((haa * gb) - (hab * ga)) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) < 1e-10 && Math.Abs(db) < 1e-10)
            {
                break;
            }
        }

        if (!(a > 0) || !double.IsFinite(b))
        {
            throw new InvalidOperationException($"Platt scaling gave a = {a}, b = {b}: the model does not rank this slice");
        }

        return (a, b);
    }

    /// <summary>Rewrites <paramref name="weights"/> in place so that its logit becomes a · logit + b.</summary>
    public static void Fold(CtrModelWeights weights, double a, double b)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(a);
        var linear = weights.Linear;
        for (var i = 0; i < linear.Length; i++)
        {
            linear[i] = (float)(a * linear[i]);
        }

        var root = Math.Sqrt(a);
        var factors = weights.Factors;
        for (var i = 0; i < factors.Length; i++)
        {
            factors[i] = (float)(root * factors[i]);
        }

        weights.Bias = (float)((a * weights.Bias) + b);
    }
}
