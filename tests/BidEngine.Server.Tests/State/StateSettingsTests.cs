namespace BidEngine.Server.Tests.State;

/// <summary>Settings of the money state that cannot work together stop the start, naming both.</summary>
public sealed class StateSettingsTests
{
    [Fact]
    public async Task ATokenThatOutlivesItsReservationAndTheLateWindowStopsTheStartNamingAllThree()
    {
        var refusal = await BidderHost.StartFailsAsync(
            "--BidEngine:Notices:TokenLifetimeSeconds=900", "--BidEngine:Budgets:ReservationTtlSeconds=300", "--BidEngine:Budgets:LateNoticeWindowSeconds=300");
        Assert.Contains("BidEngine:Notices:TokenLifetimeSeconds (900)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("BidEngine:Budgets:ReservationTtlSeconds (300)", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("BidEngine:Budgets:LateNoticeWindowSeconds (300)", refusal.Message, StringComparison.Ordinal);
    }
}
