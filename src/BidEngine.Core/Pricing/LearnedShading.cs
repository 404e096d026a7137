using BidEngine.Core.State;
using MessagePack;
using System.Collections.Concurrent;
using BidEngine.Core.Campaigns;

namespace BidEngine.Core.Pricing;

/// <summary>
/// First-price shading learned per campaign from its verified win and loss notices.
/// <para>
/// What is learned: the distribution of r = m / v, the price m the bid had to beat (the highest
/// other bid, or the floor) over the expected value v it was shaded from. A bid at factor s wins
/// when r ≤ s, so P(win | s) = F(s), the distribution function of r, and the expected surplus of an
/// auction is v · (1 − s) · F(s). The bidder bids the s that maximises (1 − s) · F(s); as long as r
/// does not depend on v, that s is best whatever the value.
/// </para>
/// <para>
/// The evidence, on a grid of factors e = 0.01, 0.02 … 1.00 (<see cref="CampaignShading"/>):
/// a notice with <c>${AUCTION_MIN_TO_WIN}</c> gives r exactly (on a win it is the highest other bid,
/// on a loss the winner's price), which is a win or a loss at every grid point at once; a win
/// without it says r ≤ s, and a loss for price (reason 102) without it says r &gt; s, each at the
/// grid point nearest s (censored, "current status" data); any other loss reason (below floor,
/// blocked, deal, invalid, ...) says nothing about price and is only counted. At each grid point
/// F(e) is estimated as (exact thresholds ≤ e + wins at e) / (exact thresholds + wins at e + losses
/// at e), pooled into a non-decreasing curve by weighted pool-adjacent-violators; points with less
/// than <see cref="CampaignShading.MinSupport"/> weight are left out.
/// </para>
/// <para>
/// Forgetting: every count is multiplied by 2^(−1/<see cref="ShadingOptions.HalfLifeObservations"/>)
/// on each new price-bearing outcome of the campaign, so the estimate follows a market that moves and
/// rests on about half-life / ln 2 outcomes (2,885 by default).
/// </para>
/// <para>
/// Moving the factor: until the forgetting count reaches <see cref="ShadingOptions.MinObservations"/>
/// the campaign bids <see cref="PricingOptions.FirstPriceShading"/>. From then on, after each
/// price-bearing outcome the factor moves toward the grid point of most surplus by at most
/// <see cref="ShadingOptions.Step"/>, and always stays in [MinFactor, MaxFactor]: n outcomes move
/// it at most n × Step (100 notices: 0.2 by default), and never outside the bounds.
/// </para>
/// <para>
/// Exploration: a win or a loss without min-to-win only tells about the factor bid, so while most of
/// a campaign's evidence is censored, a share <see cref="ShadingOptions.ExploreShare"/> of its bids
/// use a factor drawn uniformly within ± <see cref="ShadingOptions.ExploreWidth"/> of the learned
/// one (inside the bounds). Exact thresholds need none, and with them exploration stops.
/// </para>
/// <para>
/// Memory and threads: state exists only for campaigns that had a price-bearing outcome, at most
/// <see cref="ShadingOptions.MaxCampaigns"/> of them (about 1.3 KiB each), and campaigns gone from
/// the current snapshot are dropped on the first notice after a reload. Notices update a campaign
/// under its own lock; <see cref="FirstPriceFactor"/> takes no lock, allocates nothing and costs a
/// dictionary lookup by campaign id.
/// </para>
/// </summary>
public sealed class LearnedShading : IBidShading
{
    /// <summary>OpenRTB loss reason "lost to higher bid": the only loss that tells about price.</summary>
    public const int LostToHigherBid = 102;

    private readonly ConcurrentDictionary<string, CampaignShading> _states = new(StringComparer.Ordinal);
    private readonly Func<CampaignSnapshot>? _campaigns;
    private readonly Lock _pruneLock = new();
    private readonly long[] _evidence = new long[Enum.GetValues<ShadingEvidence>().Length];
    private readonly ShadingRule _rule;
    private readonly double _fixed;
    private readonly bool _learn;
    private readonly double _exploreShare;
    private readonly double _exploreWidth;
    private readonly double _minFactor;
    private readonly double _maxFactor;
    private readonly int _maxCampaigns;
    private CampaignSnapshot? _seen;
    private int _tracked;

    /// <param name="options">Pricing settings; <see cref="PricingOptions.Shading"/> says how to learn.</param>
    /// <param name="campaigns">The current campaigns: state of campaigns no longer in it is dropped. Null: kept up to the cap.</param>
    public LearnedShading(PricingOptions options, Func<CampaignSnapshot>? campaigns = null)
    {
        var shading = options.Shading;
        _rule = new ShadingRule(shading);
        _fixed = options.FirstPriceShading;
        _learn = shading.Learn;
        _exploreShare = shading.ExploreShare;
        _exploreWidth = shading.ExploreWidth;
        _minFactor = shading.MinFactor;
        _maxFactor = shading.MaxFactor;
        _maxCampaigns = shading.MaxCampaigns;
        _campaigns = campaigns;
    }

    /// <summary>Campaigns with learning state.</summary>
    public int TrackedCampaigns => Volatile.Read(ref _tracked);

    /// <summary>Outcomes seen of one kind since start.</summary>
    public long Count(ShadingEvidence kind) => Interlocked.Read(ref _evidence[(int)kind]);

    public double FirstPriceFactor(Campaign campaign)
    {
        if (!_learn || Volatile.Read(ref _tracked) == 0 || !_states.TryGetValue(campaign.Id, out var state))
        {
            return _fixed;
        }

        return state.Factor(_fixed, _exploreShare, _exploreWidth, _minFactor, _maxFactor);
    }

    /// <summary>The campaign's learned factor without exploration, or null while it still bids the fixed one.</summary>
    public double? LearnedFactor(Campaign campaign) =>
        _states.TryGetValue(campaign.Id, out var state) && state.Learning ? state.LearnedFactor : null;

    /// <summary>The campaign's learning state, for tests.</summary>
    internal CampaignShading? StateOf(string campaignId) => _states.TryGetValue(campaignId, out var state) ? state : null;

    /// <summary>Where each observation is reported so that it survives a restart; null: memory only.</summary>
    public IStateJournal? Journal { get; set; }

    public void ObserveWin(Campaign campaign, double bidCpm, double valueCpm, double? minToWinCpm)
    {
        Journal?.Append(new StateRecord { Kind = StateRecordKind.ShadingWin, CampaignId = campaign.Id, A = bidCpm, B = valueCpm, C = minToWinCpm ?? double.NaN });
        if (!Usable(bidCpm, valueCpm))
        {
            Tally(ShadingEvidence.Dropped);
            return;
        }

        // A min-to-win above a winning bid contradicts the win: only the win itself is believed.
        if (minToWinCpm is { } m && m > 0 && m <= bidCpm && double.IsFinite(m))
        {
            Exact(campaign, m / valueCpm);
        }
        else
        {
            Censored(campaign, bidCpm / valueCpm, won: true);
        }
    }

    public void ObserveLoss(Campaign campaign, double bidCpm, double valueCpm, int lossReason, double? minToWinCpm)
    {
        Journal?.Append(new StateRecord { Kind = StateRecordKind.ShadingLoss, CampaignId = campaign.Id, Extra = lossReason, A = bidCpm, B = valueCpm, C = minToWinCpm ?? double.NaN });
        if (lossReason != LostToHigherBid)
        {
            Tally(ShadingEvidence.NoPrice);
            return;
        }

        if (!Usable(bidCpm, valueCpm))
        {
            Tally(ShadingEvidence.Dropped);
            return;
        }

        // The winner's price is at least the losing bid; one below it contradicts the loss.
        if (minToWinCpm is { } m && m >= bidCpm && double.IsFinite(m))
        {
            Exact(campaign, m / valueCpm);
        }
        else
        {
            Censored(campaign, bidCpm / valueCpm, won: false);
        }
    }

    /// <summary>What the learning campaigns bid, for <c>/metrics</c>: a walk over the states (one per campaign), at scrape time only.</summary>
    public ShadingSummary Summarize()
    {
        var tracked = 0;
        var learning = 0;
        var sum = 0.0;
        foreach (var (_, state) in _states)
        {
            tracked++;
            if (state.Learning)
            {
                learning++;
                sum += state.LearnedFactor;
            }
        }

        return new ShadingSummary(tracked, learning, learning == 0 ? _fixed : sum / learning);
    }

    private static bool Usable(double bidCpm, double valueCpm) =>
        bidCpm > 0 && valueCpm > 0 && double.IsFinite(bidCpm) && double.IsFinite(valueCpm);

    private void Exact(Campaign campaign, double ratio)
    {
        if (State(campaign) is { } state)
        {
            state.ObserveExact(ratio, _rule);
            Tally(ShadingEvidence.Exact);
        }
    }

    private void Censored(Campaign campaign, double shading, bool won)
    {
        if (State(campaign) is { } state)
        {
            state.ObserveCensored(shading, won, _rule);
            Tally(won ? ShadingEvidence.Win : ShadingEvidence.PriceLoss);
        }
    }

    private void Tally(ShadingEvidence kind) => Interlocked.Increment(ref _evidence[(int)kind]);

    /// <summary>The campaign's state, made on its first outcome; null when learning is off, the campaign is gone or the table is full.</summary>
    private CampaignShading? State(Campaign campaign)
    {
        if (!_learn)
        {
            Tally(ShadingEvidence.Dropped);
            return null;
        }

        var snapshot = _campaigns?.Invoke();
        if (snapshot is not null)
        {
            if (!ReferenceEquals(snapshot, Volatile.Read(ref _seen)))
            {
                Prune(snapshot);
            }

            if (!snapshot.TryGetCampaign(campaign.Id, out _))
            {
                Tally(ShadingEvidence.Dropped);
                return null;
            }
        }

        if (_states.TryGetValue(campaign.Id, out var state))
        {
            return state;
        }

        if (Interlocked.Increment(ref _tracked) > _maxCampaigns)
        {
            Interlocked.Decrement(ref _tracked);
            Tally(ShadingEvidence.Dropped);
            return null;
        }

        var made = new CampaignShading(Math.Clamp(_fixed, _minFactor, _maxFactor), Seed(campaign.Id));
        state = _states.GetOrAdd(campaign.Id, made);
        if (!ReferenceEquals(state, made))
        {
            Interlocked.Decrement(ref _tracked);
        }

        return state;
    }

    /// <summary>After a reload: drop the state of campaigns the new snapshot no longer has. Once per snapshot, on the notice path.</summary>
    private void Prune(CampaignSnapshot snapshot)
    {
        lock (_pruneLock)
        {
            if (ReferenceEquals(snapshot, _seen))
            {
                return;
            }

            foreach (var (id, _) in _states)
            {
                if (!snapshot.TryGetCampaign(id, out _) && _states.TryRemove(id, out _))
                {
                    Interlocked.Decrement(ref _tracked);
                }
            }

            Volatile.Write(ref _seen, snapshot);
        }
    }

    /// <summary>FNV-1a of the id: each campaign explores its own sequence, the same in every run.</summary>
    private static ulong Seed(string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>Every campaign's learning, for the state snapshot.</summary>
    public void WriteSnapshot(ref MessagePackWriter writer)
    {
        var states = _states.ToArray();
        writer.WriteArrayHeader(states.Length * 2);
        foreach (var (campaignId, state) in states)
        {
            writer.Write(campaignId);
            state.WriteSnapshot(ref writer);
        }
    }

    /// <summary>Restores the learning of the campaigns loaded now (<paramref name="campaigns"/>); others are dropped.</summary>
    public void ReadSnapshot(ref MessagePackReader reader, CampaignSnapshot campaigns)
    {
        var count = reader.ReadArrayHeader() / 2;
        for (var i = 0; i < count; i++)
        {
            var campaignId = reader.ReadString()!;
            if (campaigns.TryGetCampaign(campaignId, out var campaign) && State(campaign) is { } state)
            {
                state.ReadSnapshot(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
