using BidEngine.Core.Notices;

namespace BidEngine.Core.Tests.Notices;

/// <summary>The status page's win rate: each bid counts once, as a win or a loss, from verified notices only.</summary>
public sealed class WinLossCountsTests
{
    [Fact]
    public void ABidCountsOneWinWhetherItsWinOrItsBillingComesFirstOrAlone()
    {
        var rig = new NoticeRig();
        var winFirst = rig.Bid();
        var billFirst = rig.Bid();
        var winOnly = rig.Bid();
        var billOnly = rig.Bid();

        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Win, winFirst).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Impression, winFirst).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Impression, billFirst).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Win, billFirst).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Win, winOnly).Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Impression, billOnly).Outcome);

        Assert.Equal((4L, 0L), rig.WinsAndLosses.Get(NoticeRig.Acme.Id));
    }

    [Fact]
    public void ALossCountsOnceAndReplaysOrRefusedNoticesCountNothing()
    {
        var rig = new NoticeRig();
        var lost = rig.Bid();
        var won = rig.Bid(price: 2.0);

        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Loss, lost).Outcome);
        Assert.Equal(NoticeOutcome.Replayed, rig.Send(NoticeKind.Loss, lost).Outcome);
        Assert.Equal(NoticeOutcome.Conflict, rig.Send(NoticeKind.Win, lost).Outcome);
        Assert.Equal(NoticeOutcome.PriceAboveBid, rig.Send(NoticeKind.Win, won, price: "3").Outcome);
        Assert.Equal(NoticeOutcome.Recorded, rig.Send(NoticeKind.Win, won).Outcome);
        Assert.Equal(NoticeOutcome.Replayed, rig.Send(NoticeKind.Win, won).Outcome);

        Assert.Equal((1L, 1L), rig.WinsAndLosses.Get(NoticeRig.Acme.Id));
        Assert.Equal((0L, 0L), rig.WinsAndLosses.Get("cmp-never-noticed"));
    }
}
