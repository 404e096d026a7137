namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>One generated input: which seed, the mutations applied to it in order, and how it is encoded.</summary>
internal sealed record FuzzCase(int SeedIndex, MutationStep[] Steps, GzipMode Gzip, uint GzipArg)
{
    public override string ToString() => $"seed #{SeedIndex} steps [{string.Join(", ", Steps)}] gzip {Gzip}({GzipArg})";
}
