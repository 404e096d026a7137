using System.Collections.Concurrent;

namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>How many cases ended each way: printed after a run, and checked so that a mutator that breaks everything cannot pass unnoticed.</summary>
internal sealed class FuzzTally
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Add(string outcome) => _counts.AddOrUpdate(outcome, 1, (_, n) => n + 1);

    public int this[string outcome] => _counts.GetValueOrDefault(outcome);

    public int Total => _counts.Values.Sum();

    public override string ToString() => string.Join(", ", _counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}"));
}
