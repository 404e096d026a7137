using BidEngine.Core.Deadlines;
using BidEngine.Core.Time;

namespace BidEngine.Core.Exchanges;

/// <summary>The exchanges of <c>BidEngine:Exchanges</c>, made once at start; empty when none are configured.</summary>
public sealed class ExchangeDirectory
{
    private readonly Dictionary<string, Exchange> _byName;
    private readonly Exchange[] _all;

    public ExchangeDirectory(IReadOnlyDictionary<string, ExchangeProfile> profiles, DeadlineOptions deadlines, IClock clock)
    {
        _byName = new Dictionary<string, Exchange>(StringComparer.Ordinal);
        foreach (var (name, profile) in profiles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            _byName.Add(name, new Exchange(name, profile, deadlines, clock));
        }

        _all = [.. _byName.Values];
        All = _all;
    }

    /// <summary>Every configured exchange, by name.</summary>
    public IReadOnlyList<Exchange> All { get; }

    public bool TryGet(string name, out Exchange exchange) => _byName.TryGetValue(name, out exchange!);

    /// <summary>The exchange named <paramref name="nameUtf8"/> (as a notice token carries it); a scan, without allocating: profiles are few.</summary>
    public bool TryGet(ReadOnlySpan<byte> nameUtf8, out Exchange exchange)
    {
        foreach (var candidate in _all)
        {
            if (nameUtf8.SequenceEqual(candidate.NameUtf8))
            {
                exchange = candidate;
                return true;
            }
        }

        exchange = null!;
        return false;
    }
}
