using System.Diagnostics;
using System.Runtime.InteropServices;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Candidates;
using BidEngine.Core.Budgets;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Eligibility;
using BidEngine.Core.Features;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Notices;
using BidEngine.Core.Pricing;
using BidEngine.Core.Privacy;
using BidEngine.Core.State;
using BidEngine.Core.Scoring;
using BidEngine.Core.Traffic;
using BidEngine.OpenRtb.Response;

namespace BidEngine.Core.Pipeline;

/// <summary>
/// Decides one request: candidates (index, then eligibility) → features → score (model or
/// heuristic, as time allows) → price → one bid per imp, whose price the ledger must hold first.
/// Allocation-free in steady state; the only await is the scorer's.
/// </summary>
public sealed class BidPipeline
{
    /// <summary>
    /// Candidates of one imp tried in turn, best price first, when the ledger refuses to hold the
    /// price of the one before (its budget ran out since the candidates were found). Bounded so that
    /// a run of exhausted campaigns costs a few ledger calls, not one per candidate.
    /// </summary>
    public const int MaxReserveAttempts = 3;

    private int _rotation;

    private readonly BidIds _bidIds;
    private readonly Func<CampaignSnapshot> _campaigns;
    private readonly ICtrScorer? _scorer;
    private readonly PricingOptions _pricing;
    private readonly PipelineOptions _options;
    private readonly DeadlinePolicy _deadlines;
    private readonly TimeProvider _time;
    private readonly NoticeUrls? _notices;
    private readonly CampaignGate _gate;
    private readonly IBidShading? _shading;

    /// <param name="notices">The bidder's notice URLs: every bid then carries <c>burl</c> and a click URL for its markup; null for none.</param>
    /// <param name="gate">
    /// Eligibility and money: flights, dayparts, caps, budgets, pacing, and the ledger bids reserve in.
    /// Null: flights and dayparts on the system clock, nothing else (tools and benchmarks).
    /// </param>
    /// <param name="shading">Each campaign's first-price factor (learned from notices); null: <see cref="PricingOptions.FirstPriceShading"/> for all.</param>
    /// <param name="bidIds">Where bid ids come from (the state's epoch in their high bits); null: a random epoch (tools and benchmarks).</param>
    public BidPipeline(
        Func<CampaignSnapshot> campaigns,
        ICtrScorer? scorer,
        PricingOptions pricing,
        PipelineOptions options,
        DeadlinePolicy deadlines,
        TimeProvider? time = null,
        NoticeUrls? notices = null,
        CampaignGate? gate = null,
        IBidShading? shading = null,
        BidIds? bidIds = null)
    {
        _gate = gate ?? new CampaignGate(Time.SystemClock.Instance);
        _bidIds = bidIds ?? BidIds.Random();
        _campaigns = campaigns;
        _scorer = scorer;
        _pricing = pricing;
        _options = options;
        _deadlines = deadlines;
        _time = time ?? TimeProvider.System;
        _notices = notices;
        _shading = shading;
    }

    /// <summary>
    /// The privacy step, run first: it may refuse the request, and it redacts what may not be used
    /// before candidates, features, caps, notices and the log read the request. Default: no GVL id.
    /// </summary>
    public ConsentEngine Privacy { get; init; } = new(new PrivacyOptions());

    /// <summary>
    /// The traffic step, run before the privacy step and before anything is priced: invalid traffic and
    /// the supply chain. It may refuse the request with an OpenRTB <c>nbr</c>. Default: every check off.
    /// </summary>
    public TrafficFilter Traffic { get; init; } = TrafficFilter.Off;

    public ValueTask DecideAsync(BidContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = _campaigns();
        var request = context.Request;
        var response = context.Response;

        context.Traffic = Traffic.Apply(request, context.Exchange);
        if (!context.Traffic.MayBid)
        {
            response.NoBidReason = context.Traffic.NoBidReasonCode;
            return ValueTask.CompletedTask;
        }

        context.Privacy = Privacy.Apply(request);
        if (!context.Privacy.MayBid)
        {
            response.NoBidReason = context.Privacy.NoBidReasonCode;
            return ValueTask.CompletedTask;
        }

        var currency = ChooseResponseCurrency(context, snapshot);
        if (currency < 0)
        {
            return ValueTask.CompletedTask;
        }

        // A request whose ids a notice token cannot carry gets no bid while notices are on: a bid
        // without notices would be spent without the ledger ever hearing of it.
        if (_notices is not null && !NoticeUrls.CanCarry(request))
        {
            return ValueTask.CompletedTask;
        }

        response.Currency = snapshot.Currencies.Code(currency);
        context.Gate = _gate.Begin(request);
        CandidateFinder.Find(request, snapshot, context.Candidates, _options.MaxCandidates, _gate, context.Gate, Interlocked.Increment(ref _rotation));
        if (context.Candidates.Count == 0)
        {
            context.Path = ScoringPath.NoCandidates;
            return ValueTask.CompletedTask;
        }

        context.Path = _deadlines.Choose(context.Deadline, _scorer, context.Candidates.Count);
        if (context.Path == ScoringPath.Model)
        {
            return ScoreWithModelAsync(context, snapshot, currency, cancellationToken);
        }

        if (context.Path == ScoringPath.Heuristic)
        {
            Finish(context, snapshot, currency, useModelScores: false);
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask ScoreWithModelAsync(BidContext context, CampaignSnapshot snapshot, int currency, CancellationToken cancellationToken)
    {
        var scorer = _scorer!;
        var limit = _deadlines.ModelLimit(context.Deadline);
        var rows = scorer.Rent(context.Candidates.Count);
        var scored = false;
        var abandoned = false;
        try
        {
            WriteFeatures(context, rows, scorer.HashBits);
            var pending = scorer.ScoreAsync(rows, limit, cancellationToken);
            if (pending.IsCompleted)
            {
                // The usual case: an unbatched run completes on this thread, and nothing is allocated.
                scored = pending.Result;
            }
            else
            {
                (scored, abandoned) = await WaitWithinLimitAsync(pending.AsTask(), scorer, rows, limit, cancellationToken).ConfigureAwait(false);
            }

            if (scored)
            {
                var candidates = CollectionsMarshal.AsSpan(context.Candidates);
                for (var i = 0; i < candidates.Length; i++)
                {
                    candidates[i].Ctr = rows.Probability(i);
                }
            }
        }
        finally
        {
            if (!abandoned)
            {
                scorer.Return(rows);
            }
        }

        if (!scored)
        {
            // The model refused the run, was cut off, or is still busy at the deadline: the
            // heuristic answers if there is still time to write, else no-bid now.
            context.Path = _deadlines.CanStillAnswer(context.Deadline) ? ScoringPath.Heuristic : ScoringPath.None;
            if (context.Path == ScoringPath.None)
            {
                return;
            }
        }

        Finish(context, snapshot, currency, useModelScores: scored);
    }

    /// <summary>
    /// Waits for a scoring call that went asynchronous (a batch, a slow dependency) until the
    /// limit's <see cref="ModelTimeLimit.WaitEndTimestamp"/>, when the heuristic can still answer
    /// in time. A call given up on keeps its rows until it really ends, then returns them.
    /// </summary>
    private static async Task<(bool Scored, bool Abandoned)> WaitWithinLimitAsync(
        Task<bool> scoring, ICtrScorer scorer, ScoringRows rows, ModelTimeLimit limit, CancellationToken cancellationToken)
    {
        var budget = limit.WaitLeft(Stopwatch.GetTimestamp());
        if (budget == Timeout.InfiniteTimeSpan)
        {
            return (await scoring.WaitAsync(cancellationToken).ConfigureAwait(false), false);
        }

        if (budget > TimeSpan.Zero)
        {
            try
            {
                return (await scoring.WaitAsync(budget, cancellationToken).ConfigureAwait(false), false);
            }
            catch (TimeoutException)
            {
            }
        }

        _ = scoring.ContinueWith(static (_, state) =>
        {
            var (owner, lent) = ((ICtrScorer, ScoringRows))state!;
            owner.Return(lent);
        }, (scorer, rows), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return (false, true);
    }

    private void WriteFeatures(BidContext context, ScoringRows rows, int hashBits)
    {
        var request = context.Request;
        var utcNow = _time.GetUtcNow().UtcDateTime;
        var candidates = CollectionsMarshal.AsSpan(context.Candidates);
        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var c = ref candidates[i];
            FeatureExtractor.Write(request, request.Imps[c.ImpIndex], c.Campaign, c.Creative, utcNow, rows.Features(i), hashBits);
        }
    }

    private void Finish(BidContext context, CampaignSnapshot snapshot, int currency, bool useModelScores)
    {
        var request = context.Request;
        var candidates = CollectionsMarshal.AsSpan(context.Candidates);
        for (var i = 0; i < candidates.Length; i++)
        {
            ref var c = ref candidates[i];
            if (!useModelScores)
            {
                c.Ctr = _deadlines.HeuristicCtr(request, c);
            }

            c.BidUsd = BidPricer.PriceUsd(c, request.AuctionType, _pricing, _shading);
        }

        // One bid per imp: the candidate with the highest price whose price the ledger holds
        // (candidates are grouped by imp). A refused one is marked and the next best tried.
        var start = 0;
        while (start < candidates.Length)
        {
            var imp = candidates[start].ImpIndex;
            var end = start + 1;
            while (end < candidates.Length && candidates[end].ImpIndex == imp)
            {
                end++;
            }

            for (var attempt = 0; attempt < MaxReserveAttempts; attempt++)
            {
                var best = start;
                for (var i = start + 1; i < end; i++)
                {
                    if (candidates[i].BidUsd > candidates[best].BidUsd)
                    {
                        best = i;
                    }
                }

                if (candidates[best].BidUsd <= 0)
                {
                    break;
                }

                if (_notices is not null && !_notices.For(context.Exchange).CanCarryBid(candidates[best].Campaign, candidates[best].Creative))
                {
                    candidates[best].BidUsd = 0;
                    continue;
                }

                // Four decimals: exchanges compare prices in 1/10000 of the currency unit.
                var price = Math.Round(snapshot.Currencies.FromUsd(candidates[best].BidUsd, currency), 4, MidpointRounding.AwayFromZero);
                var bidId = _bidIds.Next();
                if (_gate.Reserve(candidates[best].Campaign, bidId, price, currency, snapshot.Currencies) == ReserveOutcome.Reserved)
                {
                    AddBid(context, candidates[best], price, bidId, snapshot.Currencies, currency);
                    break;
                }

                candidates[best].BidUsd = 0;
            }

            start = end;
        }
    }

    /// <summary>
    /// A bid decided but not sent (dropped to fit the exchange's size limit, or a warm-up bid): its
    /// reservation goes back now rather than at its expiry. Allocates nothing.
    /// </summary>
    public void ReleaseUnsent(ResponseBid bid) => _gate.Release(bid.CampaignId!, bid.Id);

    private void AddBid(BidContext context, in Candidate candidate, double price, long bidId, Currency.CurrencyTable currencies, int currency)
    {
        var bid = context.Response.Bids.Add();
        bid.Id = bidId;
        bid.ImpId = context.Request.Imps[candidate.ImpIndex].Id;
        bid.Price = price;
        var creative = candidate.Creative;
        var campaign = candidate.Campaign;
        bid.Adm = creative.AdmUtf8;
        bid.Nurl = creative.NurlUtf8;
        bid.Adomain = campaign.AdomainUtf8;
        bid.Crid = creative.IdUtf8;
        bid.Cid = campaign.IdUtf8;
        bid.CampaignId = campaign.Id;
        bid.Seat = context.Exchange?.SeatUtf8 ?? campaign.SeatUtf8;
        bid.Cat = campaign.CategoriesUtf8;
        bid.W = creative.W;
        bid.H = creative.H;
        bid.Mtype = (int)creative.Kind;
        if (candidate.DealIndex >= 0)
        {
            bid.DealId = context.Request.Imps[candidate.ImpIndex].Pmp.Deals[candidate.DealIndex].Id;
        }

        if (_notices is not null)
        {
            // Shared bytes and a number only: the notice room writes the URLs as the response is written.
            bid.Notices = _notices.For(context.Exchange);
            bid.NoticeBucket = PlacementBucket.Key(creative, context.Request.Device.DeviceType);
            bid.AdmParts = creative.AdmPartsUtf8;
            bid.NoticeUser = context.Gate.User;
            bid.NoticeCurrency = currencies.Code(currency);

            // What the bid was worth before shading and the cap, and the auction type: signed into
            // the notices, so that a verified win or loss tells the shading both without a lookup.
            bid.NoticeValueCpm = currencies.FromUsd(candidate.Ctr * campaign.ValuePerClick * 1000.0, currency);
            bid.NoticeFirstPrice = context.Request.AuctionType == 1;
            bid.NoticeModelScored = context.Path == ScoringPath.Model;
        }
    }

    private static bool PreferredAllowed(OpenRtb.Request.BidRequest request, byte[] code)
    {
        if (request.Cur.Count == 0)
        {
            return true;
        }

        foreach (var allowed in request.Cur)
        {
            if (request[allowed].SequenceEqual(code))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The exchange profile's currency when it has one the request allows; else USD when the request
    /// allows it (or names no currency), else the first allowed one with a rate; -1 if none.
    /// </summary>
    private static int ChooseResponseCurrency(BidContext context, CampaignSnapshot snapshot)
    {
        var request = context.Request;
        if (context.Exchange?.CurrencyUtf8 is { } preferred && PreferredAllowed(request, preferred) && snapshot.Currencies.IndexOf(preferred) is var preferredIndex and >= 0)
        {
            // The exchange's profile names the currency it settles in, when the request allows it.
            return preferredIndex;
        }

        if (request.Cur.Count == 0)
        {
            return 0;
        }

        var first = -1;
        foreach (var code in request.Cur)
        {
            var index = snapshot.Currencies.IndexOf(request[code]);
            if (index == 0)
            {
                return 0;
            }

            if (first < 0)
            {
                first = index;
            }
        }

        return first;
    }
}
