namespace BidEngine.State.Redis.Budgets;

/// <summary>
/// The settle script's answer: how much of the bill the owner's slice covered, the owner's slices
/// after it (−1: no lease), the entry's version and the slice's day, the fleet's spend, and whether
/// the owner was told through its inbox. <see cref="Repeat"/>: the bill was counted before, by <see cref="SettledBy"/>.
/// </summary>
internal readonly record struct SettleReply(
    bool Repeat, int SettledBy, long Covered, long Slice, long DaySlice, long Version, long Spent, long DaySpent, int SliceDay, bool Pushed)
{
    public static SettleReply From(StackExchange.Redis.RedisResult result)
    {
        var r = (StackExchange.Redis.RedisResult[])result!;
        if ((long)r[0] == -1)
        {
            return new SettleReply(true, (int)(long)r[1], 0, -1, -1, -1, -1, -1, -1, false);
        }

        return new SettleReply(false, 0, (long)r[0], (long)r[1], (long)r[2], (long)r[3], (long)r[4], (long)r[5], (int)(long)r[6], (long)r[7] == 1);
    }
}
