using BidEngine.Core.Budgets;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.FrequencyCaps;
using BidEngine.Core.Time;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Eligibility;

/// <summary>
/// May this campaign bid now, and can it pay? Checked on every entry the index finds, before
/// pricing, cheapest first: flight dates, dayparting (campaign time zone), frequency cap (billed
/// impressions of this user in the window), budget (spend plus reservations, total and today), and
/// last even pacing, whose answer uses up participation. The winning bid then holds its price in the
/// ledger (<see cref="Reserve"/>). All time comes from the injected <see cref="IClock"/>. Allocates nothing.
/// </summary>
public sealed class CampaignGate
{
    private readonly long[] _skipped = new long[Enum.GetValues<SkipReason>().Length];
    private readonly long[] _reserved = new long[Enum.GetValues<ReserveOutcome>().Length];

    /// <param name="clock">The time flights, dayparts and frequency windows are read at.</param>
    /// <param name="ledger">Where budgets are held; null: no budgets (tests and tools), nothing reserved.</param>
    /// <param name="caps">Billed impressions per user; null: frequency caps are not applied.</param>
    public CampaignGate(IClock clock, IBudgetLedger? ledger = null, IFrequencyCaps? caps = null)
    {
        Clock = clock;
        Ledger = ledger;
        Caps = caps;
    }

    public IClock Clock { get; }

    public IBudgetLedger? Ledger { get; }

    public IFrequencyCaps? Caps { get; }

    /// <summary>The request's time and user key, read once.</summary>
    public GateRequest Begin(BidRequest request) => new(Clock.UtcNow, Caps is null ? 0 : FrequencyKey.OfUser(request));

    /// <summary>Gives every campaign of <paramref name="snapshot"/> its limits in the ledger; call before the snapshot serves.</summary>
    public void Register(CampaignSnapshot snapshot)
    {
        if (Ledger is null)
        {
            return;
        }

        Ledger.SetLimits(snapshot.Campaigns.Select(c => KeyValuePair.Create(c.Id, c.Rules.Budget.ToLimits(c.Rules.TimeZone))));
    }

    /// <summary>Whether <paramref name="campaign"/> may bid on this request; false counts the reason.</summary>
    public bool Allows(Campaign campaign, in GateRequest request)
    {
        var rules = campaign.Rules;
        if (!rules.Flight.IsOn(request.Now))
        {
            return Skip(SkipReason.Flight);
        }

        if (rules.Dayparting is { } daypart && !daypart.IsOn(request.Now, rules.TimeZone))
        {
            return Skip(SkipReason.Daypart);
        }

        if (rules.FrequencyCap is { } cap && Caps is not null && !Caps.Allows(request.User, campaign.FrequencyKey, cap))
        {
            return Skip(SkipReason.FrequencyCap);
        }

        var budget = rules.Budget;
        if (Ledger is not null && (budget.Total is not null || budget.Daily is not null))
        {
            // Exhausted counts reservations: bids still outstanding may yet be billed. A look without
            // the account's lock; Reserve (once the auction is decided) is the exact test.
            if (!Ledger.HasBudgetLeft(campaign.Id))
            {
                return Skip(SkipReason.Budget);
            }
        }

        // Last: participation is used up by asking. Only a daily budget has a day to spread over.
        if (rules.Pacing == PacingMode.Even && budget.Daily is not null && campaign.Pacer is { } pacer && !pacer.Participate())
        {
            return Skip(SkipReason.Pacing);
        }

        return true;
    }

    /// <summary>
    /// Holds <paramref name="priceCpm"/> (in the response currency <paramref name="currency"/>) against
    /// the campaign's budgets under the bid's id. Without a ledger every bid is admitted.
    /// </summary>
    public ReserveOutcome Reserve(Campaign campaign, long bidId, double priceCpm, int currency, CurrencyTable currencies)
    {
        if (Ledger is null)
        {
            return ReserveOutcome.Reserved;
        }

        var outcome = Ledger.Reserve(campaign.Id, bidId, ToCampaignNanos(priceCpm, currency, campaign, currencies));
        Interlocked.Increment(ref _reserved[(int)outcome]);
        return outcome;
    }

    /// <summary>Frees a bid's reservation that will never be billed (the bid was not sent). Without a ledger, nothing to free.</summary>
    public ReleaseOutcome Release(string campaignId, long bidId) => Ledger?.Release(campaignId, bidId) ?? ReleaseOutcome.UnknownCampaign;

    /// <summary>
    /// The cost of one impression at <paramref name="cpm"/> (in the currency at <paramref name="currency"/>)
    /// in nanos of the campaign's currency. The bid's reservation and its billing notice both go
    /// through here, so that a notice at the bid's own price settles exactly what was reserved.
    /// </summary>
    public static long ToCampaignNanos(double cpm, int currency, Campaign campaign, CurrencyTable currencies) =>
        currency == campaign.CurrencyIndex
            ? Money.PerImpressionFromCpm(cpm)
            : Money.PerImpressionFromCpm(currencies.FromUsd(currencies.ToUsd(cpm, currency), campaign.CurrencyIndex));

    /// <summary>Entries refused for <paramref name="reason"/> since start.</summary>
    public long SkippedCount(SkipReason reason) => Interlocked.Read(ref _skipped[(int)reason]);

    /// <summary>Reservations that ended with <paramref name="outcome"/> since start.</summary>
    public long ReserveCount(ReserveOutcome outcome) => Interlocked.Read(ref _reserved[(int)outcome]);

    /// <summary>An entry the candidate walk left out for the campaign's own supply-chain policy.</summary>
    internal void SkippedForSupplyChain() => Skip(SkipReason.SupplyChain);

    private bool Skip(SkipReason reason)
    {
        Interlocked.Increment(ref _skipped[(int)reason]);
        return false;
    }
}
