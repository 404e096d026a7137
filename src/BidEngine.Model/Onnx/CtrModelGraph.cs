namespace BidEngine.Model.Onnx;

/// <summary>
/// What the model file's writer (BidEngine.Model.Authoring) and the scorer agree on: the tensor names
/// and the largest hash space. It lives here so that the server loads models without the writer's
/// protobuf dependencies.
/// </summary>
public static class CtrModelGraph
{
    /// <summary>int64 [N, F]: the hashed feature ids of each row.</summary>
    public const string InputName = "features";

    /// <summary>float [N, 1]: the click probability of each row.</summary>
    public const string OutputName = "ctr";

    /// <summary>Largest hash space: 2^24 rows (a 16-factor fp32 table is ~1 GiB; protobuf caps files at 2 GiB).</summary>
    public const int MaxHashBits = 24;
}
