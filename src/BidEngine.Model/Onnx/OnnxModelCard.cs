using System.Globalization;
using BidEngine.Core.Features;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Model.Onnx;

/// <summary>What an exported model file says about itself: its shape and the metadata_props.</summary>
public sealed class OnnxModelCard
{
    private OnnxModelCard(IReadOnlyDictionary<string, string> metadata)
    {
        Metadata = metadata;
        HashBits = ReadInt(metadata, ModelMetadataKeys.HashBits);
        FactorDim = ReadInt(metadata, ModelMetadataKeys.FactorDim);
        FeatureCount = ReadInt(metadata, ModelMetadataKeys.FeatureCount);
        Precision = metadata.TryGetValue(ModelMetadataKeys.Precision, out var p) ? p : "unknown";
    }

    public int HashBits { get; }

    public int FactorDim { get; }

    public int FeatureCount { get; }

    /// <summary>"fp32" or "int8".</summary>
    public string Precision { get; }

    /// <summary>All metadata_props, the exporter's own keys included.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The feature-spec version the model was trained on, as the training tool wrote it; null when absent.</summary>
    public string? FeatureSpecVersion => Metadata.GetValueOrDefault(ModelMetadataKeys.FeatureSpecVersion);

    /// <summary>
    /// How this model differs from the features this build computes (<see cref="FeatureSpec"/>),
    /// one sentence per difference naming both sides; empty when the model can serve. A model of
    /// another spec would still run, on ids that mean something else to it: wrong prices, no error.
    /// </summary>
    public IReadOnlyList<string> FeatureSpecMismatches()
    {
        var mismatches = new List<string>();
        if (FeatureSpecVersion != FeatureSpec.Version)
        {
            mismatches.Add($"the model was trained on feature spec '{FeatureSpecVersion ?? "(none written)"}', this bidder computes '{FeatureSpec.Version}'");
        }

        if (FeatureCount != FeatureSpec.FeatureCount)
        {
            mismatches.Add($"the model takes {FeatureCount} features per row, this bidder computes {FeatureSpec.FeatureCount} ({FeatureSpec.Version})");
        }

        if (!FeatureSpec.IsValidHashBits(HashBits))
        {
            mismatches.Add($"the model's ids span {HashBits} hash bits, this bidder hashes into {FeatureSpec.MinHashBits}..{FeatureSpec.MaxHashBits} bits ({FeatureSpec.Version})");
        }

        return mismatches;
    }

    /// <summary>Reads the card of a model file (loads the file into ONNX Runtime without optimizing it).</summary>
    public static OnnxModelCard Read(string path)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(path, options);
        return FromSession(session);
    }

    internal static OnnxModelCard FromSession(InferenceSession session)
        => new(new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal));

    private static int ReadInt(IReadOnlyDictionary<string, string> metadata, string key)
    {
        if (!metadata.TryGetValue(key, out var text) || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidDataException($"The model file has no valid '{key}' in its metadata_props; export it with OnnxModelWriter.");
        }

        return value;
    }
}
