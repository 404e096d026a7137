using BidEngine.Core.Budgets;
using BidEngine.Core.Notices;

namespace BidEngine.Core.Tests.Notices;

/// <summary>What a verified notice changes, and that a refused one changes nothing: ledger, priors, shading.</summary>
public sealed class OutcomeNoticesTests
{
    [Fact]
    public void ABillingNoticeSettlesTheReservationAndCountsAnImpressionOnce()
    {
        var rig = new NoticeRig();
        var bid = rig.Bid(price: 2.0);

        var first = rig.Send(NoticeKind.Impression, bid, price: "1.5");
        var again = rig.Send(NoticeKind.Impression, bid, price: "1.5");

        Assert.Equal((NoticeOutcome.Recorded, 1.5, SettleOutcome.Settled), (first.Outcome, first.PriceCpm, first.Settle));
        Assert.Equal(NoticeOutcome.Replayed, again.Outcome);
        Assert.Equal(Money.PerImpressionFromCpm(1.5), rig.SpentNanos);
        Assert.Equal(0, rig.ReservedNanos);
        Assert.Equal(1, rig.Counts.Get(NoticeRig.Acme.Id, NoticeRig.Bucket).Impressions);
    }

    [Fact]
    public void RefusesAClearingPriceAboveTheBidAndLeavesTheReservation()
    {
        var rig = new NoticeRig();
        var bid = rig.Bid(price: 2.0);

        Assert.Equal(NoticeOutcome.PriceAboveBid, rig.Send(NoticeKind.Impression, bid, price: "2.0001").Outcome);
        Assert.Equal(NoticeOutcome.PriceAboveBid, rig.Send(NoticeKind.Win, bid, price: "100000").Outcome);

        Assert.Equal(0, rig.SpentNanos);
        Assert.Equal(Money.PerImpressionFromCpm(2.0), rig.ReservedNanos);
        Assert.Equal(0, rig.Counts.PairCount);

        // The honest notice still counts afterwards: the refusals marked nothing.
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Impression, bid, price: "2").Outcome);
    }

    [Fact]
    public void RefusesATokenOlderThanItsLifetimeButTakesOneMadeByAnEarlierProcess()
    {
        var rig = new NoticeRig(lifetime: TimeSpan.FromSeconds(600));
        var bid = rig.Bid();
        var burl = rig.Url(NoticeKind.Impression, bid);

        rig.Clock.Advance(TimeSpan.FromSeconds(601));
        Assert.Equal(NoticeOutcome.Expired, rig.Notices.Handle(NoticeKind.Impression, NoticeRig.Fill(burl)).Outcome);
        Assert.Equal(0, rig.SpentNanos);

        // A token made before this OutcomeNotices existed (a previous process, or another node): the bid
        // was made and the exchange billed it, so it is spend (its reservation is held here, or not).
        var earlier = new NoticeRig(key: NoticeRig.Key(9));
        var oldBid = earlier.Bid();
        var oldUrl = earlier.Url(NoticeKind.Impression, oldBid);
        earlier.Clock.Advance(TimeSpan.FromSeconds(5));
        var restarted = new Core.Notices.OutcomeNotices(
            () => earlier.Snapshot, earlier.Counts, new BillingBook(earlier.Ledger, earlier.Caps), earlier.Signer, new ReplayWindow(64), earlier.Clock, TimeSpan.FromSeconds(600));
        Assert.Equal(NoticeOutcome.Recorded, restarted.Handle(NoticeKind.Impression, NoticeRig.Fill(oldUrl)).Outcome);
        Assert.True(earlier.SpentNanos > 0);
    }

    [Fact]
    public void AClickCountsOnlyOnABilledImpressionAndOnlyOnce()
    {
        var rig = new NoticeRig();
        var bid = rig.Bid();

        Assert.Equal(NoticeOutcome.NoBilledImpression, rig.Send(NoticeKind.Click, bid).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Impression, bid).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Click, bid).Outcome);
        Assert.Equal(NoticeOutcome.Replayed, rig.Send(NoticeKind.Click, bid).Outcome);

        Assert.Equal((1L, 1L), (rig.Counts.Get(NoticeRig.Acme.Id, NoticeRig.Bucket).Impressions, rig.Counts.Get(NoticeRig.Acme.Id, NoticeRig.Bucket).Clicks));
    }

    [Fact]
    public void ALossReleasesTheReservationAndTellsTheShadingForFirstPriceBidsOnly()
    {
        var rig = new NoticeRig();
        var firstPrice = rig.Bid(price: 2.0, firstPrice: true, value: 2.5);
        var secondPrice = rig.Bid(price: 1.0, firstPrice: false);

        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Loss, firstPrice, loss: "102", minToWin: "2.2").Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Loss, secondPrice, loss: "102").Outcome);
        Assert.Equal(NoticeOutcome.Replayed, rig.Send(NoticeKind.Loss, firstPrice, loss: "102").Outcome);

        Assert.Equal(0, rig.ReservedNanos);
        Assert.Equal(("cmp 1/a", 2.0, 2.5, 102, (double?)2.2), Assert.Single(rig.Recorded.Losses));
        Assert.Empty(rig.Recorded.Wins);

        // A lost bid is not billed afterwards, nor won.
        Assert.Equal(NoticeOutcome.Conflict, rig.Send(NoticeKind.Impression, firstPrice).Outcome);
        Assert.Equal(NoticeOutcome.Conflict, rig.Send(NoticeKind.Win, firstPrice).Outcome);
        Assert.Equal(0, rig.SpentNanos);
    }

    [Fact]
    public void AFirstPriceWinTellsTheShadingOnceWhetherTheWinOrTheBillingNoticeComesFirst()
    {
        var rig = new NoticeRig();
        var winFirst = rig.Bid(price: 2.0, firstPrice: true, value: 2.5);
        var billFirst = rig.Bid(price: 2.0, firstPrice: true, value: 2.5);

        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Win, winFirst, minToWin: "1.8").Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Impression, winFirst).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Impression, billFirst).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Win, billFirst).Outcome);

        Assert.Equal([("cmp 1/a", 2.0, 2.5, (double?)1.8), ("cmp 1/a", 2.0, 2.5, null)], rig.Recorded.Wins.ToArray());
        Assert.Empty(rig.Recorded.Losses);
    }

    [Fact]
    public void AWinWithoutBillingIsCountedAsAWinOnly()
    {
        var rig = new NoticeRig();
        var bid = rig.Bid(price: 2.0);

        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Win, bid).Outcome);
        Assert.Equal(NoticeOutcome.Replayed, rig.Send(NoticeKind.Win, bid).Outcome);

        Assert.Equal(0, rig.SpentNanos);
        Assert.Equal(Money.PerImpressionFromCpm(2.0), rig.ReservedNanos);
        Assert.Equal(0, rig.Counts.PairCount);
        Assert.Empty(rig.Recorded.Wins);
    }

    [Theory]
    [InlineData(NoticeKind.Impression, "?p=1", "t", "missing_field")]
    [InlineData(NoticeKind.Impression, "?t=x", "p", "missing_field")]
    [InlineData(NoticeKind.Impression, "?t=x&p=${AUCTION_PRICE}", "p", "unsubstituted_macro")]
    [InlineData(NoticeKind.Impression, "?t=x&p=%24%7BAUCTION_PRICE%7D", "p", "unsubstituted_macro")]
    [InlineData(NoticeKind.Win, "?t=x&p=${AUCTION_PRICE}", "p", "unsubstituted_macro")]
    [InlineData(NoticeKind.Impression, "?t=x&p=-0.5", "p", "bad_value")]
    [InlineData(NoticeKind.Impression, "?t=x&p=NaN", "p", "bad_value")]
    [InlineData(NoticeKind.Impression, "?t=x&p=1e3", "p", "bad_value")]
    [InlineData(NoticeKind.Impression, "?t=x&p=2000000", "p", "bad_value")]
    [InlineData(NoticeKind.Impression, "?t=x&p=1&p=2", "p", "bad_value")]
    [InlineData(NoticeKind.Loss, "?t=x", "loss", "missing_field")]
    [InlineData(NoticeKind.Loss, "?t=x&loss=${AUCTION_LOSS}", "loss", "unsubstituted_macro")]
    [InlineData(NoticeKind.Loss, "?t=x&loss=abc", "loss", "bad_value")]
    [InlineData(NoticeKind.Loss, "?t=x&loss=102&mtw=cheap", "mtw", "bad_value")]
    public void RefusesAMalformedQueryNamingTheField(NoticeKind kind, string query, string field, string error)
    {
        var rig = new NoticeRig();

        var result = rig.Notices.Handle(kind, query);

        Assert.Equal((NoticeOutcome.Bad, field, error), (result.Outcome, result.Field, result.Error));
        Assert.Contains(field, result.Message);
    }

    [Fact]
    public void AcceptsMinToWinAndCurrencyLeftAsMacrosButNotAnotherCurrency()
    {
        var rig = new NoticeRig();
        var bid = rig.Bid();
        var url = rig.Url(NoticeKind.Win, bid);

        var eur = rig.Notices.Handle(NoticeKind.Win, NoticeRig.Fill(url, currency: "EUR"));
        Assert.Equal((NoticeOutcome.Bad, "cur"), (eur.Outcome, eur.Field));

        var unfilled = url[url.IndexOf('?', StringComparison.Ordinal)..].Replace(NoticeUrls.PriceMacro, "1", StringComparison.Ordinal);
        Assert.Equal(NoticeOutcome.Recorded, rig.Notices.Handle(NoticeKind.Win, unfilled).Outcome);
    }

    [Fact]
    public void ANoticeForACampaignNoLongerLoadedIsAnsweredButChangesNothing()
    {
        var rig = new NoticeRig();
        var bid = rig.Bid();
        var other = new Core.Notices.OutcomeNotices(
            () => TestCampaigns.Snapshot(), rig.Counts, new BillingBook(rig.Ledger, rig.Caps), rig.Signer, new ReplayWindow(64), rig.Clock, TimeSpan.FromSeconds(600));

        Assert.Equal(NoticeOutcome.UnknownCampaign, other.Handle(NoticeKind.Impression, NoticeRig.Fill(rig.Url(NoticeKind.Impression, bid))).Outcome);
        Assert.Equal(0, rig.SpentNanos);
        Assert.Equal(0, rig.Counts.PairCount);
    }
}
