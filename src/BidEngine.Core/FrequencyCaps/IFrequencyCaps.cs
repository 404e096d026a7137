using BidEngine.Core.Campaigns;

namespace BidEngine.Core.FrequencyCaps;

/// <summary>
/// Billed impressions per user × campaign within a cap's window: the state a frequency cap reads on
/// the bid path and a billing notice adds to. <see cref="FrequencyCapTable"/> keeps it in this
/// process; a fleet's store keeps it shared and each node reads a local copy, so
/// <see cref="Allows"/> never waits on the network. Implementations are safe to call from many threads.
/// </summary>
public interface IFrequencyCaps
{
    /// <summary>May this campaign bid for this user now? User 0 (no user key) follows the cap's <see cref="FrequencyCap.UnknownUsers"/>. Must not block.</summary>
    bool Allows(ulong user, ulong campaign, FrequencyCap cap);

    /// <summary>The billed impressions this user had from this campaign in the window, as far as this node knows.</summary>
    int CountInWindow(ulong user, ulong campaign, FrequencyCap cap);

    /// <summary>A billed impression of this campaign for this user (no-op for user 0).</summary>
    void Count(ulong user, ulong campaign, FrequencyCap cap);
}
