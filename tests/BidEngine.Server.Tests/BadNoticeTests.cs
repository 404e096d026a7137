using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using BidEngine.Core.Heuristics;
using Microsoft.Extensions.DependencyInjection;

namespace BidEngine.Server.Tests;

/// <summary>Malformed notices get a 400 naming the field, and count nothing toward the priors.</summary>
public sealed class BadNoticeTests(BidderHost host) : IClassFixture<BidderHost>
{
    [Theory]
    [InlineData("/openrtb2/notice/imp?b=1&p=1", "c", "missing_field")]
    [InlineData("/openrtb2/notice/imp?c=&b=1&p=1", "c", "missing_field")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&p=1", "b", "missing_field")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=abc&p=1", "b", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=-3&p=1", "b", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1", "p", "missing_field")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&p=-1", "p", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&p=${AUCTION_PRICE}", "p", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=a&c=b&b=1&p=1", "c", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&p=1", "i", "missing_field")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&p=1&i=abc", "i", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&p=1&i=0", "i", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&p=1&i=5&i=6", "i", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&p=1&i=5&u=-1", "u", "bad_value")]
    [InlineData("/openrtb2/notice/imp?c=cmp-acme-display&b=1&p=1&i=5&cur=XXX", "cur", "bad_value")]
    [InlineData("/openrtb2/notice/click?c=cmp-acme-display", "b", "missing_field")]
    [InlineData("/openrtb2/notice/click?c=cmp-acme-display&b=1x", "b", "bad_value")]
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

    private async Task<double> BadCountAsync()
    {
        var metrics = await host.Client.GetStringAsync("/metrics");
        var match = Regex.Match(metrics, "(?m)^bidengine_notices_total\\{kind=\"bad\"\\} (\\S+)$");
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
