namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>One mutation: its kind and two random numbers that pick where and what (each kind says how it reads them).</summary>
internal readonly record struct MutationStep(MutationKind Kind, uint Where, uint What)
{
    public override string ToString() => $"{Kind}({Where},{What})";
}
