namespace BidEngine.Tests.Shared;

/// <summary>
/// A theory over the external OpenRTB corpus. Without <see cref="Corpus.Variable"/> it is reported
/// as skipped, with the reason, so that a run without the corpus shows what it did not check
/// instead of passing silently. With the variable naming a missing folder, its data throws and the
/// test fails with the path.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ExternalCorpusTheoryAttribute : TheoryAttribute
{
    public ExternalCorpusTheoryAttribute()
    {
        if (!Corpus.ExternalRequested)
        {
            Skip = $"External OpenRTB corpus not run: set {Corpus.Variable} to a folder with requests/, offspec/ and malformed/ (.ci/run sets it).";
        }
    }
}
