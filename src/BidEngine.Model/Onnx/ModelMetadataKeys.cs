namespace BidEngine.Model.Onnx;

/// <summary>
/// Keys the exporter writes into the ONNX metadata_props itself; the scorer reads the shape keys back.
/// Anything else in the weights' metadata (BidEngine.Model.Authoring) is copied through as given.
/// </summary>
public static class ModelMetadataKeys
{
    /// <summary>"lr-fm": logistic regression plus factorization machine over hashed ids.</summary>
    public const string Family = "bidengine.family";

    public const string HashBits = "bidengine.hash_bits";

    public const string FactorDim = "bidengine.factor_dim";

    public const string FeatureCount = "bidengine.feature_count";

    /// <summary>"fp32" or "int8".</summary>
    public const string Precision = "bidengine.precision";

    /// <summary>"fm-table" (one table [ids, 1 + k], 5 nodes; 6 in int8) or "split-tables" (linear and factor tables, 13 nodes; 17 in int8).</summary>
    public const string Graph = "bidengine.graph";

    /// <summary>"per-column": how an int8 fm-table file scales its integers.</summary>
    public const string QuantScales = "bidengine.quant_scales";

    /// <summary>Ids per int8 scale; only in split-tables int8 files.</summary>
    public const string QuantBlockRows = "bidengine.quant_block_rows";

    /// <summary>Suggested key for the feature-spec version the training tool used.</summary>
    public const string FeatureSpecVersion = "feature_spec_version";

    public const string FamilyValue = "lr-fm";

    public static bool IsReserved(string key) => key.StartsWith("bidengine.", StringComparison.Ordinal);
}
