using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BidEngine.Benchmarks.EndToEnd;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Core.Supply;
using BidEngine.Core.Traffic;
using BidEngine.Model;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.Benchmarks.Traffic;

/// <summary>
/// The request path without HTTP (parse, the traffic step, decide with the shipped model, write) on
/// loadtests/traffic/passes-every-check.json from exchange.example, with every traffic and supply check
/// On against every one Off: what the checks add to a request the bidder prices. "same": the one body
/// over and over (one address, one user: the rate sketches' hottest case); "many": 4,096 copies from as
/// many addresses and users, as an exchange sends traffic (the sketches' counters spread over memory).
/// The same lists as the throughput script: the shipped bot list, 100,000 IPv4 and 20,000 IPv6 random
/// blocks, the fixture supply files.
/// </summary>
[MemoryDiagnoser]
public class TrafficPathBenchmarks
{
    private readonly BidContext _context = new();
    private readonly ArrayBufferWriter<byte> _output = new(8192);
    private Utf8JsonWriter _writer = null!;
    private BidPipeline _off = null!;
    private BidPipeline _on = null!;
    private OnnxCtrScorer _scorer = null!;
    private Exchange _exchange = null!;
    private byte[][] _bodies = [];
    private int _next;

    [Params("same", "many")]
    public string Keys { get; set; } = "same";

    [GlobalSetup]
    public void Setup()
    {
        var campaigns = CampaignLoader.LoadFile(RepositoryFiles.Path("config", "campaigns.json"));
        var snapshot = new CampaignSnapshot(campaigns, new CurrencyTable(new Dictionary<string, double> { ["EUR"] = 1.08 }));
        var deadlines = new DeadlinePolicy(new DeadlineOptions(), PriorCtrTable.LoadFile(RepositoryFiles.Path("models", "ctr.priors.json")));
        _scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = RepositoryFiles.Path("models", "ctr.onnx") });
        _scorer.Warmup();

        var random = new Random(17);
        var blocks = new List<string>();
        for (var i = 0; i < 100_000; i++)
        {
            var first = random.Next(1, 224);
            blocks.Add($"{(first == 203 ? 204 : first)}.{random.Next(256)}.{random.Next(256)}.0/24");
        }

        for (var i = 0; i < 20_000; i++)
        {
            blocks.Add($"2a0{random.Next(10)}:{random.Next(65536):x}:{random.Next(65536):x}::/48");
        }

        var supply = RepositoryFiles.Path("tests", "Shared", "Traffic", "supply");
        var rules = new TrafficRules
        {
            SupplyChain = new SupplyChainPolicy { RequireComplete = true, MaxHops = 2 },
            MaxRequestsPerIp = int.MaxValue,
            MaxRequestsPerUser = int.MaxValue,
            BidWhenAdsTxtMissing = false,
            BidWhenSellersFileMissing = false,
        };
        foreach (var check in Enum.GetValues<TrafficCheck>())
        {
            rules[check] = TrafficMode.On;
        }

        var filter = new TrafficFilter(rules)
        {
            Bots = BotMatcher.Load(RepositoryFiles.Path("config", "ivt", "crawler-user-agents.json")),
            DataCentres = AddressRanges.Of(blocks),
            Sellers = SellersDirectory.Load(Path.Combine(supply, "sellers")),
            AdsTxt = AdsTxtDirectory.Load(Path.Combine(supply, "ads-txt"), Path.Combine(supply, "app-ads-txt")),
        };
        _off = new BidPipeline(() => snapshot, _scorer, new PricingOptions(), new PipelineOptions(), deadlines);
        _on = new BidPipeline(() => snapshot, _scorer, new PricingOptions(), new PipelineOptions(), deadlines) { Traffic = filter };
        _exchange = new Exchange("exchx", new ExchangeProfile { Domain = "exchange.example" }, new DeadlineOptions(), Core.Time.SystemClock.Instance);
        _writer = new Utf8JsonWriter(_output);

        var template = File.ReadAllText(RepositoryFiles.Path("loadtests", "traffic", "passes-every-check.json"));
        _bodies = Keys == "same"
            ? [Encoding.UTF8.GetBytes(template)]
            : [.. Enumerable.Range(0, 4096).Select(i => Encoding.UTF8.GetBytes(template
                .Replace("\"ip\": \"203.0.113.9\"", $"\"ip\": \"203.0.{112 + (i % 2)}.{1 + (i / 2 % 254)}\"", StringComparison.Ordinal)
                .Replace("\"id\": \"u-de-77\"", $"\"id\": \"u-de-{i}\"", StringComparison.Ordinal)))];
        foreach (var pipeline in new[] { _off, _on })
        {
            if (!Run(pipeline) || _context.Path != ScoringPath.Model)
            {
                throw new InvalidOperationException($"the request should pass every check and be scored by the model (path {_context.Path}, traffic {_context.Traffic})");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _scorer.Dispose();

    [Benchmark(Baseline = true, Description = "every check Off: parse + decide (model) + write")]
    public bool Off() => Run(_off);

    [Benchmark(Description = "every check On: parse + checks + decide (model) + write")]
    public bool On() => Run(_on);

    private bool Run(BidPipeline pipeline)
    {
        _context.Reset();
        _context.Exchange = _exchange;
        BidRequestParser.Parse(_bodies[_next++ % _bodies.Length], _context.Request);
        _context.Deadline = RequestDeadline.None;
        var decided = pipeline.DecideAsync(_context);
        if (!decided.IsCompletedSuccessfully)
        {
            decided.AsTask().GetAwaiter().GetResult();
        }

        _output.ResetWrittenCount();
        _writer.Reset(_output);
        BidResponseWriter.Write(_writer, _context.Request, _context.Response);
        _writer.Flush();
        return _context.Response.HasBids;
    }
}
