using System.Diagnostics;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Events;
using BidEngine.Core.Features;
using BidEngine.Core.Pipeline;
using BidEngine.OpenRtb.Request;
using BidEngine.Training.Data;

namespace BidEngine.Training.Simulation;

/// <summary>
/// Makes OpenRTB-like traffic in a <see cref="SimWorld"/> and the event log a bidder would have
/// written for it: for every bid a real <see cref="BidRequest"/> is built and its feature inputs
/// are read by <see cref="FeatureInputs.From"/>, the serving code, so the log is what the bidder
/// would log. Wins at a fixed rate; clicks drawn from <see cref="GroundTruth"/>. The true
/// probability of every bid goes to a sidecar (<see cref="TruthFile"/>) for the evaluator's ceiling.
/// </summary>
internal sealed class TrafficSimulator
{
    public static readonly DateTime DefaultStart = new(2025, 3, 3, 0, 0, 0, DateTimeKind.Utc);

    private const double TargetMeanCtr = 0.01;
    private const double WinRate = 0.7;
    private const double AppShare = 0.3;
    private const double TzKnownShare = 0.8;

    private readonly SimWorld _world;
    private readonly BidRequest _request = new();
    private readonly List<int> _eligible = [];

    public TrafficSimulator(SimWorld world)
    {
        _world = world;
    }

    public sealed record Summary(long Bids, long Wins, long Clicks, double MeanTruth, double MeanTruthOfWins, double Intercept, long Bytes);

    /// <summary>Writes <paramref name="bids"/> bid events (and their wins and clicks) to <paramref name="path"/>.</summary>
    public Summary Run(long bids, int seed, string path, int days = 14, TextWriter? progress = null)
    {
        var random = new Random(seed);
        Calibrate(seed);
        var start = DefaultStart;
        var spanTicks = TimeSpan.FromDays(days).Ticks;
        long wins = 0, clicks = 0;
        double sumTruth = 0, sumTruthWins = 0;
        var watch = Stopwatch.StartNew();
        using (var writer = EventStreamWriter.Create(path))
        using (var truth = TruthFile.Create(TruthFile.PathFor(path)))
        {
            for (long i = 0; i < bids; i++)
            {
                var time = new DateTime(start.Ticks + (long)((i + random.NextDouble()) / bids * spanTicks), DateTimeKind.Utc);
                var imp = Draw(random, time);
                var p = GroundTruth.Probability(GroundTruth.Logit(_world, imp) + _world.Intercept);
                sumTruth += p;
                var inputs = FeatureInputs.From(_request, _request.Imps[0], imp.Campaign, imp.Creative, time);
                var requestId = "sim-" + i.ToString("x8");
                var prior = imp.Campaign.CtrPrior;
                var price = Math.Min(imp.Campaign.MaxBidCpm, prior * imp.Campaign.ValuePerClick * 1000);
                var timestamp = EventRecord.ToUnixMs(time);
                writer.Write(new BidEvent
                {
                    RequestId = requestId,
                    ImpId = "1",
                    TimestampUnixMs = timestamp,
                    CampaignId = imp.Campaign.Id,
                    CreativeId = imp.Creative.Id,
                    PriceCpm = Math.Round(price, 4),
                    PCtr = (float)prior,
                    ScoringPath = ScoringPath.Heuristic,
                    Inputs = FeatureInputsRecord.From(inputs),
                });
                truth.Write((float)p);
                if (random.NextDouble() < WinRate)
                {
                    wins++;
                    sumTruthWins += p;
                    writer.Write(new WinEvent
                    {
                        RequestId = requestId,
                        ImpId = "1",
                        TimestampUnixMs = timestamp + 50 + random.Next(200),
                        CampaignId = imp.Campaign.Id,
                        CreativeId = imp.Creative.Id,
                        PriceCpm = Math.Round(price * (0.5 + (0.45 * random.NextDouble())), 4),
                    });
                    if (random.NextDouble() < p)
                    {
                        clicks++;
                        writer.Write(new ClickEvent
                        {
                            RequestId = requestId,
                            ImpId = "1",
                            TimestampUnixMs = timestamp + 2000 + random.Next(60_000),
                            CampaignId = imp.Campaign.Id,
                            CreativeId = imp.Creative.Id,
                        });
                    }
                }

                if (progress is not null && (i + 1) % 500_000 == 0)
                {
                    progress.WriteLine($"  simulate: {i + 1:N0} bids, {wins:N0} wins, {clicks:N0} clicks, {watch.Elapsed.TotalSeconds:F0} s");
                }
            }
        }

        return new Summary(bids, wins, clicks, sumTruth / bids, wins == 0 ? 0 : sumTruthWins / wins, _world.Intercept, new FileInfo(path).Length);
    }

    /// <summary>Sets the world's intercept for traffic of <paramref name="seed"/>, as <see cref="Run"/> does first.</summary>
    public void Calibrate(int seed) => _world.Intercept = CalibrateIntercept(new Random(seed ^ 0x5A5A5A5));

    /// <summary>Finds the logit intercept that makes the mean true CTR of the traffic <see cref="TargetMeanCtr"/>.</summary>
    private double CalibrateIntercept(Random random)
    {
        var logits = new double[20_000];
        for (var i = 0; i < logits.Length; i++)
        {
            var imp = Draw(random, DefaultStart.AddMinutes(random.Next(14 * 24 * 60)));
            logits[i] = GroundTruth.Logit(_world, imp);
        }

        double lo = -12, hi = 0;
        for (var iteration = 0; iteration < 60; iteration++)
        {
            var mid = (lo + hi) / 2;
            var mean = logits.Average(z => GroundTruth.Probability(z + mid));
            (lo, hi) = mean < TargetMeanCtr ? (mid, hi) : (lo, mid);
        }

        return (lo + hi) / 2;
    }

    /// <summary>The request of the last <see cref="Draw"/> (reused: valid until the next draw).</summary>
    public BidRequest Request => _request;

    /// <summary>
    /// Draws one impression with a bid: builds the request in the reused <see cref="Request"/> and
    /// picks a candidate uniformly among the eligible ones (the simulator's logging policy).
    /// </summary>
    public SimImpression Draw(Random random, DateTime time)
    {
        while (true)
        {
            var isApp = random.NextDouble() < AppShare;
            var property = isApp ? _world.Apps[_world.AppSampler.Next(random)] : _world.Sites[_world.SiteSampler.Next(random)];
            var device = isApp ? _world.AppDevices[_world.AppDeviceSampler.Next(random)] : _world.SiteDevices[_world.SiteDeviceSampler.Next(random)];
            var deviceClass = SimWorld.DeviceClassOf(device.DeviceType);
            var placement = PickPlacement(random, property, deviceClass);
            if (placement is null)
            {
                continue;
            }

            var country = _world.CountrySampler.Next(random);
            var geo = _world.Countries[country];
            var region = random.Next(geo.Regions.Length);
            var offset = geo.OffsetMinutes[region];
            var (regionSent, offsetSent) = BuildRequest(random, property, placement, device, geo, region, offset);

            var imp = _request.Imps[0];
            _eligible.Clear();
            for (var p = 0; p < _world.Pairs.Length; p++)
            {
                if (IsEligible(_world.Pairs[p].Campaign, _world.Pairs[p].Creative, imp, device, geo.Code))
                {
                    _eligible.Add(p);
                }
            }

            if (_eligible.Count == 0)
            {
                continue;
            }

            // The logged policy explores: a uniform pick among eligible candidates, so every
            // campaign is seen on every kind of placement it can fill.
            var (campaignIndex, campaign, creative) = _world.Pairs[_eligible[random.Next(_eligible.Count)]];
            var local = time.AddMinutes(offset);
            return new SimImpression
            {
                Property = property,
                Placement = placement,
                Device = device,
                Country = country,
                Region = region,
                CampaignIndex = campaignIndex,
                Campaign = campaign,
                Creative = creative,
                Pos = placement.Pos,
                TrueLocalHour = local.Hour,
                TrueLocalDay = (int)local.DayOfWeek,
                RegionSent = regionSent,
                OffsetSent = offsetSent,
                OffsetMinutes = offset,
            };
        }
    }

    private static SimPlacement? PickPlacement(Random random, SimProperty property, int deviceClass)
    {
        Span<int> fits = stackalloc int[16];
        var count = 0;
        for (var i = 0; i < property.Placements.Length && count < fits.Length; i++)
        {
            var slot = property.Placements[i];
            var ok = deviceClass switch
            {
                3 or 4 => slot.ForTv,
                1 => slot.ForMobile,
                2 => !slot.ForMobile,
                _ => true,
            };
            if (ok)
            {
                fits[count++] = i;
            }
        }

        return count == 0 ? null : property.Placements[fits[random.Next(count)]];
    }

    /// <summary>Fills <see cref="_request"/>; returns whether the region and the UTC offset were sent.</summary>
    private (bool RegionSent, bool OffsetSent) BuildRequest(Random random, SimProperty property, SimPlacement placement, SimDevice device, SimCountry geo, int region, int offset)
    {
        var r = _request;
        r.Reset();
        r.Id = r.Text.Append("sim"u8);
        if (property.IsApp)
        {
            r.App.Present = true;
            r.App.Bundle = Append(property.Name);
            r.App.PublisherId = Append(property.PublisherId);
        }
        else
        {
            r.Site.Present = true;
            r.Site.Domain = Append(property.Name);
            r.Site.PublisherId = Append(property.PublisherId);
        }

        var imp = r.Imps.Add();
        imp.Id = r.Text.Append("1"u8);
        imp.TagId = Append(placement.TagId);
        switch (placement.Kind)
        {
            case CreativeKind.Banner:
                imp.Banner.Present = true;
                imp.Banner.W = placement.Sizes[0].W;
                imp.Banner.H = placement.Sizes[0].H;
                imp.Banner.Pos = placement.Pos;
                foreach (var size in placement.Sizes)
                {
                    imp.Banner.Formats.Add(size);
                }

                break;
            case CreativeKind.Video:
                imp.Video.Present = true;
                imp.Video.W = placement.Sizes[0].W;
                imp.Video.H = placement.Sizes[0].H;
                imp.Video.Pos = placement.Pos;
                imp.Video.Mimes.Add(r.Text.Append("video/mp4"u8));
                break;
            default:
                imp.Native.Present = true;
                imp.Native.Ver = r.Text.Append("1.2"u8);
                break;
        }

        r.Device.Present = true;
        r.Device.DeviceType = device.DeviceType;
        r.Device.Os = Append(device.Os);
        if (device.Make is not null)
        {
            r.Device.Make = Append(device.Make);
        }

        r.Device.Geo.Present = true;
        r.Device.Geo.Country = Append(geo.Code);
        var regionSent = random.NextDouble() < 0.9;
        if (regionSent)
        {
            r.Device.Geo.Region = Append(geo.Regions[region]);
        }

        var offsetSent = random.NextDouble() < TzKnownShare;
        if (offsetSent)
        {
            r.Device.Geo.UtcOffset = offset;
        }

        return (regionSent, offsetSent);
    }

    private OpenRtb.Text.Utf8Slice Append(string value)
    {
        Span<byte> buffer = stackalloc byte[256];
        var length = System.Text.Encoding.UTF8.GetBytes(value, buffer);
        return _request.Text.Append(buffer[..length]);
    }

    /// <summary>A plain re-statement of campaign eligibility (kind, size, targeting): the simulator's own, not the pipeline's.</summary>
    internal static bool IsEligible(Campaign campaign, Creative creative, Imp imp, SimDevice device, string country)
    {
        var fits = creative.Kind switch
        {
            CreativeKind.Banner => imp.Banner.Present && imp.Banner.Allows(creative.W, creative.H),
            CreativeKind.Video => imp.Video.Present,
            CreativeKind.Native => imp.Native.Present,
            _ => false,
        };
        var t = campaign.Targeting;
        return fits
            && (t.Countries.Count == 0 || t.Countries.Contains(country, StringComparer.OrdinalIgnoreCase))
            && (t.DeviceTypes.Count == 0 || t.DeviceTypes.Contains(device.DeviceType))
            && (t.Os.Count == 0 || t.Os.Contains(device.Os, StringComparer.OrdinalIgnoreCase));
    }
}
