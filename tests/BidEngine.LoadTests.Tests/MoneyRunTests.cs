using BidEngine.LoadTests.Cli;
using BidEngine.LoadTests.Money;
using Xunit;

namespace BidEngine.LoadTests.Tests;

public sealed class MoneyRunTests
{
    private const string Burl = "http://127.0.0.1:8080/openrtb2/notice/imp?t=abc_-&p=${AUCTION_PRICE}&cur=${AUCTION_CURRENCY}";

    [Fact]
    public void SendsTheBillToTheChosenNodeWithThePriceAndCurrencyFilledIn()
    {
        var url = NoticeCall.On(new Uri("http://127.0.0.1:5420"), Burl, priceCpm: 3.123456);

        Assert.Equal("http://127.0.0.1:5420/openrtb2/notice/imp?t=abc_-&p=3.1235&cur=USD", url.ToString());
    }

    [Fact]
    public void FillsInTheLossReasonAndMinimumToWin()
    {
        var lurl = "http://127.0.0.1:8080/openrtb2/notice/loss?t=x&loss=${AUCTION_LOSS}&mtw=${AUCTION_MIN_TO_WIN}";

        var url = NoticeCall.On(new Uri("http://127.0.0.1:5410"), lurl, loss: 102, minToWinCpm: 5.25);

        Assert.Equal("/openrtb2/notice/loss?t=x&loss=102&mtw=5.25", url.PathAndQuery);
    }

    [Fact]
    public void RefusesAUrlThatIsNotANoticeOfTheBidder()
    {
        Assert.Throws<FormatException>(() => NoticeCall.On(new Uri("http://127.0.0.1:5410"), "http://127.0.0.1:8080/metrics"));
    }

    [Fact]
    public void SumsTheSeriesWithTheWantedLabelsInAnyOrder()
    {
        const string Text = """
            # HELP bidengine_store_round_trips_total Round trips to the store.
            # TYPE bidengine_store_round_trips_total counter
            bidengine_store_round_trips_total{path="notice"} 12
            bidengine_store_round_trips_total{node="a",path="background"} 30
            bidengine_store_round_trips_total{path="background",node="b"} 5
            bidengine_store_round_trips_total_other{path="background"} 1000
            bidengine_campaign_spent_currency_units{campaign="c1",period="total"} 1.5e0 1700000000000
            bidengine_campaign_spent_currency_units{campaign="xc1",period="total"} 99
            bidengine_store_up 1
            """;

        Assert.Equal(35, PrometheusText.Sum(Text, "bidengine_store_round_trips_total", "path=background"));
        Assert.Equal(12, PrometheusText.Sum(Text, "bidengine_store_round_trips_total", "path=notice"));
        Assert.Equal(1.5, PrometheusText.Sum(Text, "bidengine_campaign_spent_currency_units", "campaign=c1", "period=total"));
        Assert.Equal(1, PrometheusText.Sum(Text, "bidengine_store_up"));
        Assert.Null(PrometheusText.Sum(Text, "bidengine_store_round_trips_total", "path=other"));
    }

    [Fact]
    public async Task ReadsTheMoneyCommandLine()
    {
        MoneyOptions? ran = null;
        var cli = new CommandLine((_, _) => Task.FromResult(0), (_, _, _) => Task.FromResult(0), (o, _) =>
        {
            ran = o;
            return Task.FromResult(0);
        });

        var exit = await cli.InvokeAsync(
            ["money", "--front", "http://127.0.0.1:8080", "--node", "http://127.0.0.1:5410", "--node", "http://127.0.0.1:5420",
             "--store", "127.0.0.1:6390", "--budget", "5", "--rate", "300", "--duration", "30s"],
            TextWriter.Null, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.NotNull(ran);
        Assert.Equal(2, ran.Nodes.Count);
        Assert.Equal(5, ran.BudgetUsd);
        Assert.Equal(TimeSpan.FromSeconds(30), ran.Duration);
        Assert.Equal("127.0.0.1:6390", ran.Store);
    }

    [Theory]
    [InlineData("--front", "http://10.0.0.5:8080")]
    [InlineData("--store", "10.0.0.5:6379")]
    [InlineData("--duration", "11m")]
    [InlineData("--bill-ratio", "1.5")]
    public async Task RefusesAMoneyRunOffThisMachineOrUnbounded(string option, string value)
    {
        var args = new List<string> { "money", "--front", "http://127.0.0.1:8080", "--node", "http://127.0.0.1:5410" };
        args.AddRange([option, value]);
        var cli = new CommandLine((_, _) => Task.FromResult(0), (_, _, _) => Task.FromResult(0), (_, _) => Task.FromResult(0));

        var exit = await cli.InvokeAsync(args, TextWriter.Null, TextWriter.Null, CancellationToken.None);

        Assert.Equal(CommandLine.UsageExitCode, exit);
    }
}
