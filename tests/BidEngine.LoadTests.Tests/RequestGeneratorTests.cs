using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BidEngine.LoadTests.Corpus;
using Xunit;

namespace BidEngine.LoadTests.Tests;

public sealed class RequestGeneratorTests
{
    private static List<PreparedRequest> Generate(int seed, int count = 600) =>
        new RequestGenerator(new RequestGeneratorOptions { Seed = seed }).Generate(count);

    private static JsonElement Json(PreparedRequest r)
    {
        var bytes = r.Body;
        if (r.Gzip)
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            gz.CopyTo(ms);
            bytes = ms.ToArray();
        }

        return JsonDocument.Parse(bytes).RootElement.Clone();
    }

    [Fact]
    public void SameSeedGivesTheSameBytes()
    {
        var a = Generate(7);
        var b = Generate(7);

        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Body, b[i].Body);
            Assert.Equal(a[i].Gzip, b[i].Gzip);
            Assert.Equal(a[i].TmaxMs, b[i].TmaxMs);
        }
    }

    [Fact]
    public void AnotherSeedGivesOtherRequests()
    {
        Assert.NotEqual(Generate(7, 20).Select(r => Convert.ToBase64String(r.Body)), Generate(8, 20).Select(r => Convert.ToBase64String(r.Body)));
    }

    [Fact]
    public void EveryRequestIsAnOpenRtbRequestWithinTheStatedRanges()
    {
        foreach (var r in Generate(42))
        {
            var doc = Json(r);
            Assert.StartsWith("gen-42-", doc.GetProperty("id").GetString(), StringComparison.Ordinal);
            var imps = doc.GetProperty("imp");
            Assert.InRange(imps.GetArrayLength(), 1, 4);
            foreach (var imp in imps.EnumerateArray())
            {
                Assert.True(imp.TryGetProperty("banner", out _) ^ imp.TryGetProperty("video", out _));
                Assert.InRange(imp.GetProperty("bidfloor").GetDouble(), 0, 2);
                Assert.Equal("USD", imp.GetProperty("bidfloorcur").GetString());
            }

            Assert.True(doc.TryGetProperty("site", out _) ^ doc.TryGetProperty("app", out _));
            var device = doc.GetProperty("device");
            Assert.Contains(device.GetProperty("devicetype").GetInt32(), new[] { 1, 2, 4, 5 });
            Assert.Contains(device.GetProperty("os").GetString(), new[] { "iOS", "Android", "Windows" });
            Assert.Contains(device.GetProperty("geo").GetProperty("country").GetString(), new[] { "USA", "GBR", "DEU", "FRA", "CAN", "BRA", "IND", "JPN" });
            if (doc.TryGetProperty("tmax", out var tmax))
            {
                Assert.Equal(r.TmaxMs, tmax.GetInt32());
                Assert.InRange(tmax.GetInt32(), 50, 1000);
            }
            else
            {
                Assert.Null(r.TmaxMs);
            }
        }
    }

    [Fact]
    public void CoversTheWholeMix()
    {
        var requests = Generate(42);
        var docs = requests.Select(Json).ToList();
        var imps = docs.SelectMany(d => d.GetProperty("imp").EnumerateArray()).ToList();
        var sizes = imps.Where(i => i.TryGetProperty("banner", out _))
            .Select(i => $"{i.GetProperty("banner").GetProperty("w").GetInt32()}x{i.GetProperty("banner").GetProperty("h").GetInt32()}")
            .ToHashSet();

        Assert.Equal(["160x600", "300x250", "300x600", "320x50", "728x90"], sizes.Order());
        Assert.Contains(imps, i => i.TryGetProperty("video", out _));
        Assert.Equal(4, docs.Max(d => d.GetProperty("imp").GetArrayLength()));
        Assert.Equal(8, docs.Select(d => d.GetProperty("device").GetProperty("geo").GetProperty("country").GetString()).Distinct().Count());
        Assert.Contains(docs, d => d.TryGetProperty("app", out _));
        Assert.Contains(docs, d => d.TryGetProperty("site", out _));
        Assert.Contains(requests, r => r.TmaxMs is null);
        Assert.Contains(requests, r => r.TmaxMs == 50);
        Assert.Contains(requests, r => r.TmaxMs == 1000);
        Assert.InRange(requests.Count(r => r.Gzip), 30, 100); // 10% of 600, give or take
    }

    [Fact]
    public void PoolBuildsHttpRequestsWithLengthAndEncoding()
    {
        var pool = RequestPool.Build("generated", null, 50, new RequestGeneratorOptions { Seed = 3 }).ForTarget("127.0.0.1:5000", "/openrtb2/bid");
        foreach (var r in pool.Requests)
        {
            var text = System.Text.Encoding.ASCII.GetString(r.Wire, 0, r.Wire.Length - r.Body.Length);
            Assert.StartsWith("POST /openrtb2/bid HTTP/1.1\r\nHost: 127.0.0.1:5000\r\n", text, StringComparison.Ordinal);
            Assert.Contains($"Content-Length: {r.Body.Length}\r\n", text, StringComparison.Ordinal);
            Assert.Equal(r.Gzip, text.Contains("Content-Encoding: gzip", StringComparison.Ordinal));
            Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LoadsTheRepositoryCorpusByteForByteWithItsTmax()
    {
        var dir = Targets.RepoPaths.CorpusRequests(Targets.RepoPaths.FindRoot())!;
        var files = Directory.GetFiles(dir);
        var corpus = CorpusLoader.Load(dir);

        Assert.NotEmpty(files);
        Assert.Equal(files.Length, corpus.Count);
        foreach (var request in corpus)
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, request.Source));
            Assert.Equal(bytes, request.Body);

            // tmax appears only at the top level of a bid request: the first match is its value.
            var match = Regex.Match(Encoding.UTF8.GetString(bytes), "\"tmax\"\\s*:\\s*(\\d+)");
            int? tmax = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
            Assert.Equal(tmax > 0 ? tmax : null, request.TmaxMs);
        }
    }

    [Fact]
    public void ReadsTmaxOnlyWhenItIsAPositiveInteger()
    {
        var dir = Directory.CreateTempSubdirectory("loadtest-corpus-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.json"), """{"id":"a","imp":[{"id":"1"}],"tmax":120}""");
            File.WriteAllText(Path.Combine(dir, "b.json"), """{"id":"b","imp":[{"id":"1"}]}""");
            File.WriteAllText(Path.Combine(dir, "c.json"), """{"id":"c","tmax":"80"}""");
            File.WriteAllText(Path.Combine(dir, "d.json"), """{"id":"d","tmax":0}""");
            File.WriteAllText(Path.Combine(dir, "e.json"), """{"id":"e","tmax":""");

            var corpus = CorpusLoader.Load(dir);

            Assert.Equal(["a.json", "b.json", "c.json", "d.json", "e.json"], corpus.Select(r => r.Source));
            Assert.Equal([120, null, null, null, null], corpus.Select(r => r.TmaxMs));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
