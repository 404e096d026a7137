using BidEngine.Model.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace BidEngine.Model;

public sealed partial class OnnxCtrScorer
{
    /// <summary>
    /// Sequential execution, all graph optimizations, <see cref="ModelOptions.IntraOpThreads"/>
    /// (1 by default: with 1 thread the run executes on the caller's thread and no pool thread
    /// competes with Kestrel), and spinning off unless asked for.
    /// </summary>
    internal static SessionOptions CreateSessionOptions(ModelOptions options)
    {
        var so = new SessionOptions
        {
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        so.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        return so;
    }

    private static void CheckSignature(InferenceSession session, OnnxModelCard card)
    {
        if (!session.InputMetadata.TryGetValue(CtrModelGraph.InputName, out var input) || input.ElementType != typeof(long)
            || input.Dimensions.Length != 2 || input.Dimensions[1] != card.FeatureCount)
        {
            throw new InvalidDataException($"The model must take '{CtrModelGraph.InputName}' int64 [N, {card.FeatureCount}].");
        }

        if (!session.OutputMetadata.TryGetValue(CtrModelGraph.OutputName, out var output) || output.ElementType != typeof(float))
        {
            throw new InvalidDataException($"The model must give '{CtrModelGraph.OutputName}' float [N, 1].");
        }

        if (card.HashBits is < 1 or > CtrModelGraph.MaxHashBits)
        {
            throw new InvalidDataException($"The model's hash bits ({card.HashBits}) are outside 1..{CtrModelGraph.MaxHashBits}.");
        }
    }
}
