using System.Net;
using System.Text.Json;
using BidEngine.Core.Heuristics;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests;

/// <summary>Malformed notices get a 400 naming the field, and count nothing toward the priors.</summary>
public sealed class BadNoticeTests(BidderHost host) : IClassFixture<BidderHost>
{
    [Theory]
    [InlineData("/openrtb2/notice/imp?p=1", "t", "missing_field")]
    [InlineData("/openrtb2/notice/imp?t=&p=1", "t", "missing_field")]
    [InlineData("/openrtb2/notice/imp?t=a&t=b&p=1", "t", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&i=5&p=1", "t", "missing_field")]
    [InlineData("/openrtb2/notice/imp?t=abc", "p", "missing_field")]
    [InlineData("/openrtb2/notice/imp?t=abc&p=${AUCTION_PRICE}", "p", "unsubstituted_macro")]
    [InlineData("/openrtb2/notice/imp?t=abc&p=%24%7BAUCTION_PRICE%7D&cur=USD", "p", "unsubstituted_macro")]
    [InlineData("/openrtb2/notice/win?t=abc&p=${AUCTION_PRICE}", "p", "unsubstituted_macro")]
    [InlineData("/openrtb2/notice/imp?t=abc&p=-1", "p", "bad_value")]
    [InlineData("/openrtb2/notice/imp?t=abc&p=1&p=2", "p", "bad_value")]
    [InlineData("/openrtb2/notice/loss?t=abc", "loss", "missing_field")]
    [InlineData("/openrtb2/notice/loss?t=abc&loss=${AUCTION_LOSS}", "loss", "unsubstituted_macro")]
    [InlineData("/openrtb2/notice/loss?t=abc&loss=x", "loss", "bad_value")]
    [InlineData("/openrtb2/notice/loss?t=abc&loss=102&mtw=x", "mtw", "bad_value")]
    [InlineData("/openrtb2/notice/click", "t", "missing_field")]
    public async Task RefusesABadNoticeWith400NamingTheField(string url, string field, string error)
    {
        var badBefore = await BadCountAsync();

        using var response = await host.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, doc.RootElement.GetProperty("error").GetString());
        Assert.Equal(field, doc.RootElement.GetProperty("field").GetString());
        Assert.Contains(field, doc.RootElement.GetProperty("message").GetString());
        Assert.True(await BadCountAsync() > badBefore);
        Assert.Equal(0, host.Services.GetRequiredService<OutcomeCounts>().PairCount);
    }

    private async Task<double> BadCountAsync() =>
        PrometheusText.Value(await host.Management.GetStringAsync("/metrics"), "bidengine_notices_total{kind=\"bad\"}");
}
