using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BidEngine.Benchmarks.EndToEnd;
using BidEngine.Core.Privacy;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Benchmarks.Privacy;

/// <summary>
/// The consent step per request: the decision alone (decoding the request's TC, GPP or US Privacy
/// string straight from its bytes), and parse + decide + redact against parse alone on the same
/// request, so the difference is what the step adds to a request. Strings are the IAB libraries'
/// (tests/Shared/Privacy/fixtures.json); our vendor id is 901.
/// </summary>
[MemoryDiagnoser]
public class ConsentBenchmarks
{
    private readonly BidRequest _request = new();
    private readonly BidRequest _scratch = new();
    private readonly ConsentEngine _engine = new(new PrivacyOptions { VendorId = 901 });
    private byte[] _body = [];

    [Params("no signal", "tcf bit field", "tcf ranges to 30000", "tcf v2.3 disclosed", "tcf restrictions", "gpp usnat+usca", "us_privacy", "coppa")]
    public string Signal { get; set; } = "no signal";

    [GlobalSetup]
    public void Setup()
    {
        using var fixtures = JsonDocument.Parse(File.ReadAllBytes(RepositoryFiles.Path("tests", "Shared", "Privacy", "fixtures.json")));
        string Tcf(string name) => Find(fixtures.RootElement.GetProperty("tcf"), name);
        string Gpp(string name) => Find(fixtures.RootElement.GetProperty("gpp"), name);
        var fields = Signal switch
        {
            "tcf bit field" => $"\"user\":{{\"id\":\"u\",\"consent\":\"{Tcf("tcf22-bitfield-full")}\"}},\"regs\":{{\"gdpr\":1}}",
            "tcf ranges to 30000" => $"\"user\":{{\"id\":\"u\",\"consent\":\"{Tcf("tcf22-range-full")}\"}},\"regs\":{{\"gdpr\":1}}",
            "tcf v2.3 disclosed" => $"\"user\":{{\"id\":\"u\",\"consent\":\"{Tcf("tcf23-disclosed-full")}\"}},\"regs\":{{\"gdpr\":1}}",
            "tcf restrictions" => $"\"user\":{{\"id\":\"u\",\"consent\":\"{Tcf("tcf22-publisher-restrictions")}\"}},\"regs\":{{\"gdpr\":1}}",
            "gpp usnat+usca" => $"\"user\":{{\"id\":\"u\"}},\"regs\":{{\"gpp\":\"{Gpp("gpp-usnat-and-usca-state-opt-out")}\",\"gpp_sid\":[7,8]}}",
            "us_privacy" => "\"user\":{\"id\":\"u\"},\"regs\":{\"us_privacy\":\"1YYN\"}",
            "coppa" => "\"user\":{\"id\":\"u\"},\"regs\":{\"coppa\":1}",
            _ => "\"user\":{\"id\":\"u\"}",
        };
        _body = Encoding.UTF8.GetBytes(
            "{\"id\":\"bench\",\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}],\"site\":{\"domain\":\"news.example\"},"
            + "\"device\":{\"ip\":\"203.0.113.9\",\"ifa\":\"6D92078A-8246-4BA4-AE5B-76104861E7DC\",\"geo\":{\"country\":\"DEU\",\"lat\":52.5,\"lon\":13.4}}," + fields + "}");
        if (!BidRequestParser.Parse(_body, _request).IsSuccess)
        {
            throw new InvalidOperationException("benchmark request does not parse: " + Encoding.UTF8.GetString(_body));
        }
    }

    [Benchmark(Description = "decide (decode the signals)")]
    public PrivacyDecision Decide() => _engine.Decide(_request);

    [Benchmark(Baseline = true, Description = "parse")]
    public bool Parse()
    {
        _scratch.Reset();
        return BidRequestParser.Parse(_body, _scratch).IsSuccess;
    }

    [Benchmark(Description = "parse + consent step (decide, redact, count)")]
    public PrivacyOutcome ParseAndConsent()
    {
        _scratch.Reset();
        BidRequestParser.Parse(_body, _scratch);
        return _engine.Apply(_scratch).Outcome;
    }

    private static string Find(JsonElement list, string name)
    {
        foreach (var item in list.EnumerateArray())
        {
            if (item.GetProperty("name").GetString() == name)
            {
                return item.GetProperty("string").GetString()!;
            }
        }

        throw new InvalidOperationException("no fixture " + name);
    }
}
