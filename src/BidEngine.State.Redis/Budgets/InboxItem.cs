using System.Globalization;

namespace BidEngine.State.Redis.Budgets;

/// <summary>
/// A notice another node took for this node's bid, as pushed by the settle or release script:
/// <c>bid|S or R|clearing|slice|daySlice|version|sliceDay|campaign</c> (campaign last: it may hold '|').
/// </summary>
internal readonly record struct InboxItem(long BidId, bool IsBill, long ClearingNanos, long Slice, long DaySlice, long Version, int SliceDay, string CampaignId)
{
    public static bool TryParse(string? text, out InboxItem item)
    {
        item = default;
        var parts = text?.Split('|', 8);
        if (parts is not { Length: 8 }
            || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var bid)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var clearing)
            || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var slice)
            || !long.TryParse(parts[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var daySlice)
            || !long.TryParse(parts[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out var version)
            || !int.TryParse(parts[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sliceDay))
        {
            return false;
        }

        item = new InboxItem(bid, parts[1] == "S", clearing, slice, daySlice, version, sliceDay, parts[7]);
        return true;
    }
}
