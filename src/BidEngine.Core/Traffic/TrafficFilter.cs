using System.Runtime.CompilerServices;
using BidEngine.Core.Exchanges;
using BidEngine.Core.Features;
using BidEngine.Core.Supply;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Traffic;

/// <summary>
/// The traffic step, run first in the pipeline, before consent and before anything is priced: invalid
/// traffic (device signals, data-centre addresses, known bots, request rates) and the supply chain
/// (the chain's policy, sellers.json, ads.txt). Each check is Off, ReportOnly or On
/// (<see cref="TrafficRules"/>); they run cheapest first, and the first one On that refuses ends the
/// step with its reason. Report-only findings are counted and the first is logged. The lists (bots,
/// address ranges, sellers and ads.txt files) are swapped whole when their files change; a request
/// reads each once. Allocates nothing (TrafficAllocationTests); counts each reason and mode for <c>/metrics</c>.
/// </summary>
public sealed class TrafficFilter
{
    private const ulong UserIdSeed = 0x7E57_0001;
    private const ulong BuyerUidSeed = 0x7E57_0002;
    private const ulong IfaSeed = 0x7E57_0003;

    private static readonly int Reasons = Enum.GetValues<TrafficReason>().Max(r => (int)r) + 1;

    private readonly TrafficRules _rules;
    private readonly TrafficMode[] _modes;
    private readonly bool _anyOn;
    private readonly long[] _counts = new long[Reasons * 2];
    private readonly RateSketch? _ipRates;
    private readonly RateSketch? _userRates;
    private volatile BotMatcher _bots = BotMatcher.Empty;
    private volatile AddressRanges _dataCentres = AddressRanges.Empty;
    private volatile SellersDirectory _sellers = SellersDirectory.Empty;
    private volatile AdsTxtDirectory _adsTxt = AdsTxtDirectory.Empty;
    private volatile bool _enforcing;

    /// <param name="enforcing">False: every check reports only until <see cref="Enforce"/> (the warm-up's own requests must not be refused).</param>
    public TrafficFilter(TrafficRules rules, TimeProvider? time = null, bool enforcing = true)
    {
        _rules = rules;
        _modes = [.. Enum.GetValues<TrafficCheck>().Select(c => rules[c])];
        _anyOn = rules.AnyOn;
        _enforcing = enforcing;
        if (rules[TrafficCheck.IpRate] != TrafficMode.Off)
        {
            _ipRates = new RateSketch(rules.SketchWidth, rules.SketchDepth, rules.RateWindowSeconds, time);
        }

        if (rules[TrafficCheck.UserRate] != TrafficMode.Off)
        {
            _userRates = new RateSketch(rules.SketchWidth, rules.SketchDepth, rules.RateWindowSeconds, time);
        }
    }

    /// <summary>A filter with every check off: the pipeline's default.</summary>
    public static TrafficFilter Off { get; } = new(new TrafficRules());

    public TrafficRules Rules => _rules;

    public TrafficMode Mode(TrafficCheck check) => _modes[(int)check];

    public BotMatcher Bots { get => _bots; set => _bots = value; }

    public AddressRanges DataCentres { get => _dataCentres; set => _dataCentres = value; }

    public SellersDirectory Sellers { get => _sellers; set => _sellers = value; }

    public AdsTxtDirectory AdsTxt { get => _adsTxt; set => _adsTxt = value; }

    /// <summary>The rate sketches' memory, bytes.</summary>
    public long SketchBytes => (_ipRates?.Bytes ?? 0) + (_userRates?.Bytes ?? 0);

    /// <summary>From now on checks set On refuse; the counts the rate checks kept so far are forgotten.</summary>
    public void Enforce()
    {
        _ipRates?.Clear();
        _userRates?.Clear();
        _enforcing = true;
    }

    /// <summary>Requests refused (<see cref="TrafficMode.On"/>) or reported (<see cref="TrafficMode.ReportOnly"/>) for <paramref name="reason"/> since start.</summary>
    public long Count(TrafficReason reason, TrafficMode mode) =>
        mode == TrafficMode.Off ? 0 : Interlocked.Read(ref _counts[((int)reason * 2) + (mode == TrafficMode.On ? 1 : 0)]);

    /// <summary>Runs the checks on a parsed request from <paramref name="exchange"/> (null: the bidder-wide route), and counts.</summary>
    public TrafficDecision Apply(BidRequest request, Exchange? exchange = null)
    {
        if (!_anyOn)
        {
            return default;
        }

        var verdict = default(Verdict);
        Run(request, exchange, ref verdict);
        return new TrafficDecision(verdict.Refused, verdict.Reported);
    }

    private void Run(BidRequest request, Exchange? exchange, ref Verdict verdict)
    {
        var device = request.Device;
        var ua = request[device.Ua];
        if (ua.IsEmpty)
        {
            if (Found(TrafficCheck.MissingUserAgent, TrafficReason.MissingUserAgent, ref verdict))
            {
                return;
            }
        }
        else if (On(TrafficCheck.ImpossibleUserAgent) && DeviceSignals.IsImpossibleUserAgent(ua)
            && Found(TrafficCheck.ImpossibleUserAgent, TrafficReason.ImpossibleUserAgent, ref verdict))
        {
            return;
        }

        // The address, parsed once for the address checks and the rate: IPv4 (device.ip), else IPv6.
        var family = ParseAddress(request, out var v4, out var v6, out var unreadable);
        if (family == IpFamily.None && !unreadable)
        {
            if (Found(TrafficCheck.MissingIp, TrafficReason.MissingIp, ref verdict))
            {
                return;
            }
        }
        else if (On(TrafficCheck.ImpossibleIp)
            && (unreadable || (family == IpFamily.V4 ? DeviceSignals.IsImpossibleV4(v4) : DeviceSignals.IsImpossibleV6(v6)))
            && Found(TrafficCheck.ImpossibleIp, TrafficReason.ImpossibleIp, ref verdict))
        {
            return;
        }

        if (On(TrafficCheck.ZeroAdId) && !device.Lmt && DeviceSignals.IsZeroAdId(request[device.Ifa])
            && Found(TrafficCheck.ZeroAdId, TrafficReason.ZeroAdId, ref verdict))
        {
            return;
        }

        if (On(TrafficCheck.DataCentre) && family != IpFamily.None
            && (family == IpFamily.V4 ? _dataCentres.ContainsV4(v4) : _dataCentres.ContainsV6(v6))
            && Found(TrafficCheck.DataCentre, TrafficReason.DataCentreIp, ref verdict))
        {
            return;
        }

        if (On(TrafficCheck.KnownBot) && _bots.IsMatch(ua) && Found(TrafficCheck.KnownBot, TrafficReason.KnownBot, ref verdict))
        {
            return;
        }

        if (RunSupply(request, exchange, ref verdict))
        {
            return;
        }

        if (_ipRates is not null && family != IpFamily.None
            && _ipRates.Add(AddressKey(family, v4, v6)) > (uint)_rules.MaxRequestsPerIp
            && Found(TrafficCheck.IpRate, TrafficReason.IpRate, ref verdict))
        {
            return;
        }

        if (_userRates is not null && UserKey(request) is var user and not 0
            && _userRates.Add(user) > (uint)_rules.MaxRequestsPerUser)
        {
            Found(TrafficCheck.UserRate, TrafficReason.UserRate, ref verdict);
        }
    }

    /// <summary>The supply checks; true when one refused.</summary>
    private bool RunSupply(BidRequest request, Exchange? exchange, ref Verdict verdict)
    {
        if (On(TrafficCheck.SupplyChain))
        {
            var policy = exchange?.Profile.SupplyChain ?? _rules.SupplyChain;
            var reason = policy.Judge(request);
            if (reason != TrafficReason.None && Found(TrafficCheck.SupplyChain, reason, ref verdict))
            {
                return true;
            }
        }

        var domain = exchange is null ? default : exchange.DomainUtf8.AsSpan();
        var sellers = _sellers;
        if (On(TrafficCheck.Sellers))
        {
            var reason = SupplyChecks.Sellers(request, sellers, domain, _rules.BidWhenSellersFileMissing, _rules.RefuseConfidentialSellers);
            if (reason != TrafficReason.None && Found(TrafficCheck.Sellers, reason, ref verdict))
            {
                return true;
            }
        }

        if (On(TrafficCheck.AdsTxt))
        {
            var reason = SupplyChecks.AdsTxt(request, _adsTxt, sellers, domain, _rules.BidWhenAdsTxtMissing);
            if (reason != TrafficReason.None && Found(TrafficCheck.AdsTxt, reason, ref verdict))
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool On(TrafficCheck check) => _modes[(int)check] != TrafficMode.Off;

    /// <summary>A check found <paramref name="reason"/>: counted in its mode; true when that refuses the request.</summary>
    private bool Found(TrafficCheck check, TrafficReason reason, ref Verdict verdict)
    {
        var mode = _modes[(int)check];
        if (mode == TrafficMode.Off)
        {
            return false;
        }

        var refuses = mode == TrafficMode.On && _enforcing;
        Interlocked.Increment(ref _counts[((int)reason * 2) + (refuses ? 1 : 0)]);
        if (refuses)
        {
            verdict.Refused = reason;
            return true;
        }

        if (verdict.Reported == TrafficReason.None)
        {
            verdict.Reported = reason;
        }

        return false;
    }

    /// <summary>
    /// <c>device.ip</c> as IPv4 (an IPv4-mapped IPv6 text too), else <c>device.ipv6</c> as IPv6.
    /// <paramref name="unreadable"/>: an address was sent and none of it reads.
    /// </summary>
    private static IpFamily ParseAddress(BidRequest request, out uint v4, out UInt128 v6, out bool unreadable)
    {
        var device = request.Device;
        var ip = request[device.Ip];
        var ipv6 = request[device.Ipv6];
        unreadable = false;
        v4 = 0;
        v6 = default;
        if (!ip.IsEmpty)
        {
            var family = IpText.TryParse(ip, out v4, out v6);
            if (family != IpFamily.None)
            {
                return family;
            }

            unreadable = true;
        }

        if (!ipv6.IsEmpty)
        {
            var family = IpText.TryParse(ipv6, out v4, out v6);
            unreadable = family == IpFamily.None;
            return family;
        }

        return IpFamily.None;
    }

    /// <summary>The rate key of an address: the IPv4 address, or the IPv6 /64 (one device or home network gets a /64, and moves within it).</summary>
    private static ulong AddressKey(IpFamily family, uint v4, UInt128 v6) =>
        family == IpFamily.V4 ? 0x4_0000_0000UL | v4 : (ulong)(v6 >> 64);

    /// <summary>The rate key of a user: <c>user.id</c>, else <c>user.buyeruid</c>, else a non-zero <c>device.ifa</c>; 0 for none.</summary>
    private static ulong UserKey(BidRequest request)
    {
        var user = request.User;
        if (!user.Id.IsNullOrEmpty)
        {
            return FeatureHasher.Hash64(UserIdSeed, request[user.Id]) | 1;
        }

        if (!user.BuyerUid.IsNullOrEmpty)
        {
            return FeatureHasher.Hash64(BuyerUidSeed, request[user.BuyerUid]) | 1;
        }

        var ifa = request[request.Device.Ifa];
        return ifa.IsEmpty || DeviceSignals.IsZeroAdId(ifa) ? 0 : FeatureHasher.Hash64(IfaSeed, ifa) | 1;
    }

    private struct Verdict
    {
        public TrafficReason Refused;
        public TrafficReason Reported;
    }
}
