using BidEngine.Core.Deadlines;
using BidEngine.Core.Time;

namespace BidEngine.Core.Exchanges;

/// <summary>The exchanges of <c>BidEngine:Exchanges</c>, made once at start; empty when none are configured.</summary>
public sealed class ExchangeDirectory
{
    private readonly Dictionary<string, Exchange> _byName;

    public ExchangeDirectory(IReadOnlyDictionary<string, ExchangeProfile> profiles, DeadlineOptions deadlines, IClock clock)
    {
        _byName = new Dictionary<string, Exchange>(StringComparer.Ordinal);
        foreach (var (name, profile) in profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            _byName.Add(name, new Exchange(name, profile, deadlines, clock));
        }

        All = [.. _byName.Values];
    }

    /// <summary>Every configured exchange, by name.</summary>
    public IReadOnlyList<Exchange> All { get; }

    public bool TryGet(string name, out Exchange exchange) => _byName.TryGetValue(name, out exchange!);
}
