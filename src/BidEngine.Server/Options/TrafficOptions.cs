using BidEngine.Core.Traffic;

namespace BidEngine.Server.Options;

/// <summary>
/// The invalid-traffic checks, bound from <c>BidEngine:Traffic</c>: each Off, ReportOnly (counted and
/// logged, still bids) or On (no bid, with its OpenRTB <c>nbr</c>). All Off unless set. The files are
/// read at start (one that does not load stops the start) and again when they change.
/// See docs/traffic-quality.md for what each check does and costs.
/// </summary>
public sealed class TrafficOptions
{
    /// <summary><c>device.ua</c> absent or empty: nbr 4.</summary>
    public TrafficMode MissingUserAgent { get; set; }

    /// <summary>A user agent no client sends (too short or long, control characters, a placeholder): nbr 4.</summary>
    public TrafficMode ImpossibleUserAgent { get; set; }

    /// <summary>Neither <c>device.ip</c> nor <c>device.ipv6</c>: nbr 4.</summary>
    public TrafficMode MissingIp { get; set; }

    /// <summary>An address that does not read, or is private, loopback, link-local, multicast or reserved: nbr 4.</summary>
    public TrafficMode ImpossibleIp { get; set; }

    /// <summary>An all-zero <c>device.ifa</c> from a device that does not say <c>lmt</c> 1: nbr 4.</summary>
    public TrafficMode ZeroAdId { get; set; }

    /// <summary>The user agent matches the known-bot list (<see cref="KnownBotsPath"/>): nbr 3.</summary>
    public TrafficMode KnownBots { get; set; }

    /// <summary>
    /// The bot list, in crawler-user-agents' JSON format; relative paths are taken from the config folder,
    /// or the shipped config folder when the config folder has no such file.
    /// </summary>
    public string KnownBotsPath { get; set; } = "ivt/crawler-user-agents.json";

    /// <summary>The address is in the data-centre, cloud and proxy ranges of <see cref="DataCentresPath"/>: nbr 5.</summary>
    public TrafficMode DataCentres { get; set; }

    /// <summary>The operator's CIDR list (one block per line); relative paths are taken from the config folder. The shipped file is a sample.</summary>
    public string DataCentresPath { get; set; } = "ivt/datacentres.sample.txt";

    /// <summary>More than <see cref="MaxRequestsPerIp"/> requests from one address (an IPv6 /64) in the window: nbr 4.</summary>
    public TrafficMode IpRate { get; set; }

    public int MaxRequestsPerIp { get; set; } = 1000;

    /// <summary>More than <see cref="MaxRequestsPerUser"/> requests for one user id (user.id, else buyeruid, else ifa) in the window: nbr 4.</summary>
    public TrafficMode UserRate { get; set; }

    public int MaxRequestsPerUser { get; set; } = 300;

    /// <summary>The window the rates are counted over, whole seconds.</summary>
    public int RateWindowSeconds { get; set; } = 10;

    /// <summary>Counters per row of each rate sketch (a power of two): the over-count is at most e/width of the window's requests, 4 times in 5 per row.</summary>
    public int RateSketchWidth { get; set; } = 32768;

    /// <summary>Rows of each rate sketch: the over-count bound fails with probability e^-depth.</summary>
    public int RateSketchDepth { get; set; } = 4;

    /// <summary>Reload the bot and address files when they change (no restart); a file that does not load is refused and logged.</summary>
    public bool WatchFiles { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        foreach (var (name, mode) in Modes())
        {
            if (!Enum.IsDefined(mode))
            {
                yield return $"BidEngine:Traffic:{name} must be Off, ReportOnly or On";
            }
        }

        if (KnownBots != TrafficMode.Off && string.IsNullOrWhiteSpace(KnownBotsPath))
        {
            yield return "BidEngine:Traffic:KnownBotsPath must name the bot list while BidEngine:Traffic:KnownBots is not Off";
        }

        if (DataCentres != TrafficMode.Off && string.IsNullOrWhiteSpace(DataCentresPath))
        {
            yield return "BidEngine:Traffic:DataCentresPath must name the address list while BidEngine:Traffic:DataCentres is not Off";
        }

        if (MaxRequestsPerIp is < 1 or > 100_000_000)
        {
            yield return $"BidEngine:Traffic:MaxRequestsPerIp must be from 1 to 100000000 (found {MaxRequestsPerIp})";
        }

        if (MaxRequestsPerUser is < 1 or > 100_000_000)
        {
            yield return $"BidEngine:Traffic:MaxRequestsPerUser must be from 1 to 100000000 (found {MaxRequestsPerUser})";
        }

        if (RateWindowSeconds is < 1 or > 60)
        {
            yield return $"BidEngine:Traffic:RateWindowSeconds must be from 1 to 60 (found {RateWindowSeconds})";
        }

        if (RateSketchWidth is < 1024 or > 1 << 22 || (RateSketchWidth & (RateSketchWidth - 1)) != 0)
        {
            yield return $"BidEngine:Traffic:RateSketchWidth must be a power of two from 1024 to 4194304 (found {RateSketchWidth})";
        }

        if (RateSketchDepth is < 1 or > 8)
        {
            yield return $"BidEngine:Traffic:RateSketchDepth must be from 1 to 8 (found {RateSketchDepth})";
        }
    }

    /// <summary>Each check's setting name and mode.</summary>
    public IEnumerable<(string Name, TrafficMode Mode)> Modes() =>
    [
        (nameof(MissingUserAgent), MissingUserAgent),
        (nameof(ImpossibleUserAgent), ImpossibleUserAgent),
        (nameof(MissingIp), MissingIp),
        (nameof(ImpossibleIp), ImpossibleIp),
        (nameof(ZeroAdId), ZeroAdId),
        (nameof(KnownBots), KnownBots),
        (nameof(DataCentres), DataCentres),
        (nameof(IpRate), IpRate),
        (nameof(UserRate), UserRate),
    ];
}
