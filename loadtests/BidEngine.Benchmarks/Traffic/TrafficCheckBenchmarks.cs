using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BidEngine.Benchmarks.EndToEnd;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Supply;
using BidEngine.Core.Traffic;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Benchmarks.Traffic;

/// <summary>
/// Each traffic and supply check on its own, on a request that passes them all (a browser at a
/// public address, sold directly by news.example through exchange.example, whose sellers.json and
/// ads.txt are the test fixtures), and the whole step with every check On against every check Off.
/// The data-centre list is 100,000 IPv4 /24 and 20,000 IPv6 /48 blocks made up at random (seeded):
/// the size of a commercial list. The bot matcher is compared with the two obvious ways to run the
/// list: all 1,500 patterns as one compiled regular expression, and its texts in one SearchValues.
/// </summary>
[MemoryDiagnoser]
public class TrafficCheckBenchmarks
{
    private const string Browser = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    private readonly BidRequest _request = new();
    private readonly BidRequest _scratch = new();
    private byte[] _body = [];
    private byte[] _browser = [];
    private byte[] _bot = [];
    private BotMatcher _bots = BotMatcher.Empty;
    private Regex _oneRegex = null!;
    private SearchValues<string> _searchValues = null!;
    private AddressRanges _ranges = AddressRanges.Empty;
    private RateSketch _sketch = null!;
    private SellersDirectory _sellers = SellersDirectory.Empty;
    private AdsTxtDirectory _adsTxt = AdsTxtDirectory.Empty;
    private TrafficFilter _allOn = TrafficFilter.Off;
    private TrafficFilter _allOff = TrafficFilter.Off;
    private Exchange _exchange = null!;
    private readonly SupplyChainPolicy _policy = new() { RequireComplete = true, MaxHops = 2 };
    private readonly byte[] _exchangeDomain = "exchange.example"u8.ToArray();
    private ulong _key;

    [GlobalSetup]
    public void Setup()
    {
        var botList = RepositoryFiles.Path("config", "ivt", "crawler-user-agents.json");
        _bots = BotMatcher.Load(botList);
        var patterns = BotMatcher.ReadPatterns(File.OpenRead(botList));
        _oneRegex = BotMatcher.Alternation(patterns, RegexOptions.Compiled);
        _searchValues = SearchValues.Create(
            [.. patterns.SelectMany(p => UserAgentPatterns.Expand(p) ?? []).Where(l => l.Anchor == UserAgentPatterns.Anchor.Anywhere).Select(l => l.Text).Distinct()],
            StringComparison.Ordinal);
        _browser = Encoding.UTF8.GetBytes(Browser);
        _bot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"u8.ToArray();

        var random = new Random(17);
        var blocks = new List<string>();
        for (var i = 0; i < 100_000; i++)
        {
            blocks.Add($"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.0/24");
        }

        for (var i = 0; i < 20_000; i++)
        {
            blocks.Add($"2a0{random.Next(10)}:{random.Next(65536):x}:{random.Next(65536):x}::/48");
        }

        _ranges = AddressRanges.Of(blocks);
        _sketch = new RateSketch(32768, 4, 10);

        var supply = RepositoryFiles.Path("tests", "Shared", "Traffic", "supply");
        _sellers = SellersDirectory.Load(Path.Combine(supply, "sellers"));
        _adsTxt = AdsTxtDirectory.Load(Path.Combine(supply, "ads-txt"), Path.Combine(supply, "app-ads-txt"));
        _exchange = new Exchange("x", new ExchangeProfile { Domain = "exchange.example" }, new DeadlineOptions(), Core.Time.SystemClock.Instance);

        _body = Encoding.UTF8.GetBytes(
            "{\"id\":\"bench\",\"imp\":[{\"id\":\"1\",\"banner\":{\"w\":300,\"h\":250}}],"
            + "\"site\":{\"domain\":\"news.example\",\"publisher\":{\"id\":\"pub-news\"}},"
            + "\"device\":{\"ua\":\"" + Browser + "\",\"ip\":\"203.0.113.9\",\"ifa\":\"6D92078A-8246-4BA4-AE5B-76104861E7DC\"},"
            + "\"user\":{\"id\":\"u-1\"},"
            + "\"source\":{\"schain\":{\"complete\":1,\"ver\":\"1.0\",\"nodes\":[{\"asi\":\"ssp.example\",\"sid\":\"news-at-ssp\",\"hp\":1},{\"asi\":\"exchange.example\",\"sid\":\"ssp-resale\",\"hp\":1}]}}}");
        if (!BidRequestParser.Parse(_body, _request).IsSuccess)
        {
            throw new InvalidOperationException("benchmark request does not parse");
        }

        var on = new TrafficRules { SupplyChain = _policy, MaxRequestsPerIp = int.MaxValue, MaxRequestsPerUser = int.MaxValue };
        foreach (var check in Enum.GetValues<TrafficCheck>())
        {
            on[check] = TrafficMode.On;
        }

        _allOn = new TrafficFilter(on) { Bots = _bots, DataCentres = _ranges, Sellers = _sellers, AdsTxt = _adsTxt };
        _allOff = new TrafficFilter(new TrafficRules());
        if (!_allOn.Apply(_request, _exchange).MayBid)
        {
            throw new InvalidOperationException("the benchmark request must pass every check: " + _allOn.Apply(_request, _exchange).Refused);
        }
    }

    [Benchmark(Description = "user agent: impossible?")]
    public bool ImpossibleUserAgent() => DeviceSignals.IsImpossibleUserAgent(_request[_request.Device.Ua]);

    [Benchmark(Description = "ip: parse IPv4 + impossible?")]
    public bool ImpossibleIpV4() => IpText.TryParseV4(_request[_request.Device.Ip], out var a) && DeviceSignals.IsImpossibleV4(a);

    [Benchmark(Description = "ip: parse IPv6 + impossible?")]
    public bool ImpossibleIpV6() => IpText.TryParseV6("2a00:1450:4001:80b::200e"u8, out var a) && DeviceSignals.IsImpossibleV6(a);

    [Benchmark(Description = "ad id: all zeros?")]
    public bool ZeroAdId() => DeviceSignals.IsZeroAdId(_request[_request.Device.Ifa]);

    [Benchmark(Description = "data centre: IPv4 in 100k ranges")]
    public bool DataCentreV4() => _ranges.ContainsV4(0xCB007109 + (uint)(_key++ & 0xFFFF));

    [Benchmark(Description = "data centre: IPv6 in 20k ranges")]
    public bool DataCentreV6() => _ranges.ContainsV6(((UInt128)0x2a05_1450_4001_080bUL << 64) | _key++);

    [Benchmark(Description = "known bot: browser seen before (cache)")]
    public bool BotMatcherBrowser() => _bots.IsMatch(_browser);

    [Benchmark(Description = "known bot: browser first seen (search)")]
    public bool BotSearchBrowser() => _bots.Search(_browser);

    [Benchmark(Description = "known bot: Googlebot first seen (search)")]
    public bool BotSearchGooglebot() => _bots.Search(_bot);

    [Benchmark(Description = "known bot: browser, 1 compiled Regex of 1,500")]
    public bool BotOneRegexBrowser() => _oneRegex.IsMatch(Browser);

    [Benchmark(Description = "known bot: browser, SearchValues of the texts")]
    public bool BotSearchValuesBrowser() => Browser.AsSpan().ContainsAny(_searchValues);

    [Benchmark(Description = "rate: count + estimate (sketch 32768x4x10 s)")]
    public uint Rate() => _sketch.Add(_key++ & 0x3FF);

    [Benchmark(Description = "supply chain: policy")]
    public TrafficReason SupplyChain() => _policy.Judge(_request);

    [Benchmark(Description = "sellers.json: 2 nodes")]
    public TrafficReason Sellers() => SupplyChecks.Sellers(_request, _sellers, _exchangeDomain, true, false);

    [Benchmark(Description = "ads.txt: last node")]
    public TrafficReason AdsTxt() => SupplyChecks.AdsTxt(_request, _adsTxt, _sellers, _exchangeDomain, true);

    [Benchmark(Description = "step: every check Off")]
    public TrafficDecision AllOff() => _allOff.Apply(_request, _exchange);

    [Benchmark(Description = "step: every check On")]
    public TrafficDecision AllOn() => _allOn.Apply(_request, _exchange);

    [Benchmark(Baseline = true, Description = "parse (for scale)")]
    public bool Parse()
    {
        _scratch.Reset();
        return BidRequestParser.Parse(_body, _scratch).IsSuccess;
    }
}
