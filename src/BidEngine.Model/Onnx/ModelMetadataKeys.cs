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

    /// <summary>Ids per int8 scale; only in int8 files.</summary>
    public const string QuantBlockRows = "bidengine.quant_block_rows";

    /// <summary>Suggested key for the feature-spec version the training tool used.</summary>
    public const string FeatureSpecVersion = "feature_spec_version";

    public const string FamilyValue = "lr-fm";

    public static bool IsReserved(string key) => key.StartsWith("bidengine.", StringComparison.Ordinal);
}
