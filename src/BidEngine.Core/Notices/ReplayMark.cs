namespace BidEngine.Core.Notices;

/// <summary>The answer to <see cref="ReplayWindow.TryMark"/>.</summary>
public enum ReplayMark
{
    /// <summary>First time: the notice may take effect.</summary>
    Added,

    /// <summary>This bid has had this kind of notice before: a replay, to be counted once.</summary>
    Replayed,

    /// <summary>The bid lacks a notice this one needs first (a click before its billing).</summary>
    MissingRequired,

    /// <summary>The bid has a notice this one contradicts (a loss after a win or billing, or the reverse).</summary>
    Conflicting,

    /// <summary>No room for a new bid: every slot it may use holds a live entry. Refused, never evicted.</summary>
    Full,

    /// <summary>Not decided: the shared window's store could not be reached in time. Nothing was marked; the exchange should retry.</summary>
    Unavailable,
}
