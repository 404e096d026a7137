using StackExchange.Redis;

namespace BidEngine.State.Redis.Budgets;

/// <summary>The background side: one turn drains the inbox and renews the heartbeat, then leases, renews or gives back per campaign, all pipelined.</summary>
public sealed partial class LeasedBudgetLedger
{
    /// <summary>Inbox items taken per turn: bounds one reply; the rest wait a turn.</summary>
    private const int InboxBatch = 1000;

    private long _lastExpireTimestamp;

    /// <summary>How long a renewed slice may be spent, from the moment the renewal was sent.</summary>
    private long UsableTicks => (long)(_options.NodeLeaseTtl.Ticks * (1 - _options.LeaseSafetyMargin));

    /// <summary>One turn of the loop. Never throws for the store: an unanswered call is tried again next turn.</summary>
    internal async Task TurnAsync()
    {
        await DrainInboxAsync().ConfigureAwait(false);
        var now = _clock.UtcNow.UtcTicks;
        var timestamp = _clock.Timestamp;
        if (timestamp - _lastExpireTimestamp >= TimeSpan.TicksPerSecond)
        {
            _lastExpireTimestamp = timestamp;
            Expire();
        }

        List<Task>? leases = null;
        foreach (var account in _accounts.Values)
        {
            if (account.PlanTurn(now, timestamp, _options.RefillHorizon, _options.IdleReturnAfter, UsableTicks) is { } request)
            {
                (leases ??= []).Add(LeaseAsync(account, request, _options.NodeLeaseTtl, UsableTicks));
            }
        }

        if (leases is not null)
        {
            await Task.WhenAll(leases).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// At stop: gives back every slice's free part and keeps the outstanding part leased for
    /// <see cref="RedisStateOptions.ReservationTtl"/>, so that late bills for this node's bids are
    /// covered; from here on nothing is reserved.
    /// </summary>
    internal async Task ReturnLeasesAsync()
    {
        await DrainInboxAsync().ConfigureAwait(false);
        var leases = new List<Task>();
        foreach (var account in _accounts.Values)
        {
            account.EndLease();
            leases.Add(LeaseAsync(account, account.PlanReturn(), _options.ReservationTtl, usableTicks: 0));
        }

        await Task.WhenAll(leases).ConfigureAwait(false);
    }

    private async Task DrainInboxAsync()
    {
        var result = await _link.EvalAsync(
            LeaseScripts.Drain,
            [_keys.Heartbeat(_epoch), _keys.Inbox(_epoch)],
            [(long)_options.NodeLeaseTtl.TotalMilliseconds, InboxBatch]).ConfigureAwait(false);
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

    private async Task LeaseAsync(LeaseAccount account, LeaseRequest request, TimeSpan ttl, long usableTicks)
    {
        var campaignId = account.CampaignId;
        var sent = _clock.Timestamp;
        var result = await _link.EvalAsync(
            LeaseScripts.Lease,
            [_keys.Budget(campaignId), _keys.Day(campaignId, request.Day), _keys.Lease(campaignId), _keys.LeaseExpiry(campaignId)],
            [_epoch, request.TotalLimit ?? -1, request.DailyLimit ?? -1, request.Day, request.WantTotal, request.WantDay, (long)ttl.TotalMilliseconds, DayKeyTtlSeconds]).ConfigureAwait(false);
        if (result is null)
        {
            return;
        }

        var r = (RedisResult[])result!;
        var view = new LeaseView((long)r[0], (long)r[1], (long)r[2], (long)r[3], (long)r[4], (long)r[5], (long)r[6], (int)(long)r[7]);
        account.ApplyLease(view, request.Day, sent, usableTicks);
    }
}
