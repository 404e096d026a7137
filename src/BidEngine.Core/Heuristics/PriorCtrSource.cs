namespace BidEngine.Core.Heuristics;

/// <summary>
/// Holds the prior table the heuristic prices from. The request path reads it with one volatile
/// read per lookup; the refresher swaps in a whole new immutable table, so a reader sees either
/// the old table or the new one, never a mix.
/// </summary>
public sealed class PriorCtrSource(PriorCtrTable initial)
{
    private volatile PriorCtrTable _current = initial ?? throw new ArgumentNullException(nameof(initial));

    public PriorCtrTable Current => _current;

    public void Replace(PriorCtrTable next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _current = next;
    }
}
