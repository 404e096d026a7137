using StackExchange.Redis;

namespace BidEngine.State.Redis.Budgets;

/// <summary>
/// The background side: one turn drains the inbox and renews the heartbeat, then leases, renews or
/// gives back per campaign that needs it. It runs on the loop's own thread with synchronous calls
/// (<see cref="StoreLink.EvalInLoop"/>), so notices holding every pool thread cannot make leases lapse.
/// </summary>
public sealed partial class LeasedBudgetLedger
{
    /// <summary>Inbox items taken per turn: bounds one reply; the rest wait a turn.</summary>
    private const int InboxBatch = 1000;

    private long _lastExpireTimestamp;

    /// <summary>How long a renewed slice may be spent, from the moment the renewal was sent.</summary>
    private long UsableTicks => (long)(_options.NodeLeaseTtl.Ticks * (1 - _options.LeaseSafetyMargin));

    /// <summary>One turn of the loop: a round trip for the inbox and one per campaign due. Never throws for the store: an unanswered call is tried again next turn.</summary>
    internal void Turn()
    {
        DrainInbox();
        var now = _clock.UtcNow.UtcTicks;
        var timestamp = _clock.Timestamp;
        if (timestamp - _lastExpireTimestamp >= TimeSpan.TicksPerSecond)
        {
            _lastExpireTimestamp = timestamp;
            Expire();
        }

        foreach (var account in _accounts.Values)
        {
            if (account.PlanTurn(now, timestamp, _options.RefillHorizon, _options.IdleReturnAfter, UsableTicks) is { } request)
            {
                Lease(account, request, _options.NodeLeaseTtl, UsableTicks);
            }
        }
    }

    /// <summary>
    /// At stop: gives back every slice's free part and keeps the outstanding part leased for
    /// <see cref="RedisStateOptions.ReservationTtl"/>, so that late bills for this node's bids are
    /// covered; from here on nothing is reserved.
    /// </summary>
    internal void ReturnLeases()
    {
        DrainInbox();
        foreach (var account in _accounts.Values)
        {
            account.EndLease();
            Lease(account, account.PlanReturn(), _options.ReservationTtl, usableTicks: 0);
        }
    }

    private void DrainInbox()
    {
        var result = _link.EvalInLoop(
            LeaseScripts.Drain,
            [_keys.Heartbeat(_epoch), _keys.Inbox(_epoch)],
            [(long)_options.NodeLeaseTtl.TotalMilliseconds, InboxBatch]);
        if (result is null)
        {
            return;
        }

        foreach (var entry in (RedisResult[])result!)
        {
            if (InboxItem.TryParse((string?)entry, out var item) && _accounts.TryGetValue(item.CampaignId, out var account))
            {
                account.ApplyInbox(item);
            }
        }
    }

    private void Lease(LeaseAccount account, LeaseRequest request, TimeSpan ttl, long usableTicks)
    {
        var campaignId = account.CampaignId;
        var sent = _clock.Timestamp;
        var result = _link.EvalInLoop(
            LeaseScripts.Lease,
            [_keys.Budget(campaignId), _keys.Day(campaignId, request.Day), _keys.Lease(campaignId), _keys.LeaseExpiry(campaignId)],
            [_epoch, request.TotalLimit ?? -1, request.DailyLimit ?? -1, request.Day, request.WantTotal, request.WantDay, (long)ttl.TotalMilliseconds, DayKeyTtlSeconds]);
        if (result is null)
        {
            return;
        }

        var r = (RedisResult[])result!;
        var view = new LeaseView((long)r[0], (long)r[1], (long)r[2], (long)r[3], (long)r[4], (long)r[5], (long)r[6], (int)(long)r[7]);
        account.ApplyLease(view, request.Day, sent, usableTicks);
    }
}
