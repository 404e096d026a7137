using System.IO.Compression;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;
using BidEngine.Server.Hosting;

namespace BidEngine.Server.Tests;

public sealed class WarmupRequestsTests
{
    [Fact]
    public void EveryWarmupRequestIsValidOpenRtbAndTheyCoverManyShapes()
    {
        var bodies = WarmupRequests.Create();
        var kinds = new HashSet<string>();
        var impCounts = new HashSet<int>();
        var request = new BidRequest();
        foreach (var body in bodies)
        {
            var json = body.Gzip ? Gunzip(body.Bytes) : body.Bytes;
            request.Reset();
            var parsed = BidRequestParser.Parse(json, request);
            Assert.True(parsed.IsSuccess, parsed.Message);
            impCounts.Add(request.Imps.Count);
            for (var i = 0; i < request.Imps.Count; i++)
            {
                var imp = request.Imps[i];
                kinds.Add(imp.Banner.Present ? "banner" : imp.Video.Present ? "video" : imp.Native.Present ? "native" : imp.Audio.Present ? "audio" : "none");
            }
        }

        Assert.Contains(bodies, b => b.Gzip);
        Assert.Contains(bodies, b => !b.Gzip);
        Assert.Equal(["audio", "banner", "native", "video"], kinds.Order());
        Assert.Equal([1, 2, 3, 4], impCounts.Order());
    }

    [Fact]
    public void TheSameSeedGivesTheSameBytes() =>
        Assert.Equal(WarmupRequests.Create().Select(b => b.Bytes), WarmupRequests.Create().Select(b => b.Bytes));

    private static byte[] Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
