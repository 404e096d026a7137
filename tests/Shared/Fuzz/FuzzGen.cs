using CsCheck;

namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>The CsCheck generator of fuzz cases. Shrinking goes toward fewer steps, smaller numbers and the first seed.</summary>
internal static class FuzzGen
{
    public static Gen<MutationStep> Step { get; } =
        Gen.Select(Gen.Enum<MutationKind>(), Gen.UInt, Gen.UInt, (kind, where, what) => new MutationStep(kind, where, what));

    /// <summary>Cases over <paramref name="seedCount"/> seeds: zero to four steps (zero checks the seed itself), some form of gzip four times in ten.</summary>
    public static Gen<FuzzCase> Cases(int seedCount) =>
        Gen.Select(
            Gen.Int[0, seedCount - 1],
            Step.Array[0, 4],
            Gen.Frequency((6, Gen.Const(GzipMode.None)), (1, Gen.Const(GzipMode.Gzip)), (1, Gen.Const(GzipMode.TruncatedGzip)), (1, Gen.Const(GzipMode.GarbledGzip)), (1, Gen.Const(GzipMode.GzipHeaderOnly))),
            Gen.UInt,
            (seed, steps, gzip, arg) => new FuzzCase(seed, steps, gzip, arg));
}
