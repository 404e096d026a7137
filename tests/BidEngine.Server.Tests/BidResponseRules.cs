using System.Text.Json;

namespace BidEngine.Server.Tests;

/// <summary>What makes a BidResponse valid for the request it answers, checked independently of the bidder's code.</summary>
internal static class BidResponseRules
{
    private static readonly Dictionary<string, double> UsdPerUnit = new(StringComparer.OrdinalIgnoreCase)
    {
        ["USD"] = 1.0,
        ["EUR"] = 1.08,
        ["GBP"] = 1.27,
        ["CAD"] = 0.73,
        ["JPY"] = 0.0067,
        ["BRL"] = 0.18,
        ["INR"] = 0.012,
    };

    public static void AssertValidAnswer(JsonElement request, JsonElement answer)
    {
        Assert.Equal(request.GetProperty("id").GetString(), answer.GetProperty("id").GetString());
        var cur = answer.TryGetProperty("cur", out var c) ? c.GetString()! : "USD";
        if (request.TryGetProperty("cur", out var allowed) && allowed.GetArrayLength() > 0)
        {
            Assert.Contains(cur, allowed.EnumerateArray().Select(a => a.GetString()));
        }

        var imps = request.GetProperty("imp").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!);
        var seen = new HashSet<string>();
        foreach (var seat in answer.GetProperty("seatbid").EnumerateArray())
        {
            foreach (var bid in seat.GetProperty("bid").EnumerateArray())
            {
                var impId = bid.GetProperty("impid").GetString()!;
                Assert.True(imps.TryGetValue(impId, out var imp), $"bid for unknown imp {impId}");
                Assert.True(seen.Add(impId), $"two bids for imp {impId}");
                Assert.False(string.IsNullOrEmpty(bid.GetProperty("id").GetString()));
                Assert.False(string.IsNullOrEmpty(bid.GetProperty("crid").GetString()));
                Assert.True(bid.TryGetProperty("adm", out _) || bid.TryGetProperty("nurl", out _), "bid has neither adm nor nurl");
                Assert.NotEmpty(bid.GetProperty("adomain").EnumerateArray());

                var price = bid.GetProperty("price").GetDouble();
                Assert.True(price > 0);
                var floor = imp.TryGetProperty("bidfloor", out var f) ? f.GetDouble() : 0;
                var floorCur = imp.TryGetProperty("bidfloorcur", out var fc) ? fc.GetString()! : "USD";
                Assert.True(price * UsdPerUnit[cur] >= floor * UsdPerUnit[floorCur] - 1e-4, $"price {price} {cur} under floor {floor} {floorCur}");

                var mtype = bid.GetProperty("mtype").GetInt32();
                if (mtype == 1)
                {
                    AssertSizeAllowed(imp, bid.GetProperty("w").GetInt32(), bid.GetProperty("h").GetInt32());
                }
                else if (mtype == 2)
                {
                    Assert.True(imp.TryGetProperty("video", out _), "video bid on an imp without video");
                }
                else if (mtype == 4)
                {
                    Assert.True(imp.TryGetProperty("native", out _), "native bid on an imp without native");
                }

                AssertNotBlocked(request, bid);
            }
        }
    }

    private static void AssertSizeAllowed(JsonElement imp, int w, int h)
    {
        var banner = imp.GetProperty("banner");
        var sizes = new List<(int, int)>();
        if (banner.TryGetProperty("format", out var formats))
        {
            sizes.AddRange(formats.EnumerateArray().Where(f => f.TryGetProperty("w", out _)).Select(f => (f.GetProperty("w").GetInt32(), f.GetProperty("h").GetInt32())));
        }

        if (banner.TryGetProperty("w", out var bw) && banner.TryGetProperty("h", out var bh))
        {
            sizes.Add((bw.GetInt32(), bh.GetInt32()));
        }

        Assert.Contains((w, h), sizes);
    }

    private static void AssertNotBlocked(JsonElement request, JsonElement bid)
    {
        if (request.TryGetProperty("badv", out var badv))
        {
            var blocked = badv.EnumerateArray().Select(b => b.GetString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain(bid.GetProperty("adomain").EnumerateArray(), d => blocked.Contains(d.GetString()));
        }

        if (request.TryGetProperty("bcat", out var bcat) && bid.TryGetProperty("cat", out var cats))
        {
            var blocked = bcat.EnumerateArray().Select(b => b.GetString()!).ToList();
            Assert.DoesNotContain(cats.EnumerateArray(), c => blocked.Any(b => c.GetString() == b || c.GetString()!.StartsWith(b + "-", StringComparison.Ordinal)));
        }
    }
}
