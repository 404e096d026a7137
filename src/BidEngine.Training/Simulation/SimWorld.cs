using BidEngine.Core.Campaigns;
using BidEngine.Core.Heuristics;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Training.Simulation;

/// <summary>
/// Everything that stays fixed while traffic flows: sites and apps with their slots, devices,
/// geos, campaigns, and the hidden parameters of the ground-truth CTR (<see cref="GroundTruth"/>).
/// Built from a seed alone, so a seed names one world.
/// </summary>
internal sealed class SimWorld
{
    public const int Categories = 12;
    public const int LatentDim = 2;

    /// <summary>Popularity of sites and apps: weight 1/rank^s.</summary>
    public const double ZipfExponent = 1.2;

    /// <summary>Standard deviation of the most popular site's own quality and latent parts; rank r gets this × r^(−s/2).</summary>
    public const double OwnEffectSigma = 0.25;

    private static readonly (int W, int H)[] BannerSizes = [(300, 250), (728, 90), (160, 600), (320, 50), (300, 600), (970, 250), (468, 60)];

    public SimWorld(int seed, IReadOnlyList<Campaign> configured, int sites = 2500, int apps = 600, int syntheticCampaigns = 10)
    {
        var random = new Random(seed);
        Countries = MakeCountries();
        CountrySampler = new Sampler(Countries.Select(c => c.Weight).ToArray());
        SiteDevices = MakeDevices(isApp: false);
        AppDevices = MakeDevices(isApp: true);
        SiteDeviceSampler = new Sampler(SiteDevices.Select(d => d.Weight).ToArray());
        AppDeviceSampler = new Sampler(AppDevices.Select(d => d.Weight).ToArray());

        // Most of what makes a site click is its publisher's (quality, category, audience); a
        // site's own part is small and only the popular sites have one worth the name, as a
        // hierarchical prior would have it: a tail site looks like its publisher.
        var sitePublishers = Enumerable.Range(0, 200).Select(_ => MakePublisher(random)).ToArray();
        var appPublishers = Enumerable.Range(0, 100).Select(_ => MakePublisher(random)).ToArray();
        Sites = Enumerable.Range(0, sites).Select(i => MakeProperty(random, false, i, sitePublishers)).ToArray();
        Apps = Enumerable.Range(0, apps).Select(i => MakeProperty(random, true, i, appPublishers)).ToArray();
        SiteSampler = Sampler.Zipf(sites, ZipfExponent);
        AppSampler = Sampler.Zipf(apps, ZipfExponent);

        Campaigns = [.. configured, .. Enumerable.Range(0, syntheticCampaigns).Select(i => MakeCampaign(random, i))];
        Pairs = Campaigns.SelectMany((c, ci) => c.Creatives.Select(cr => (ci, c, cr))).ToArray();

        // Hidden effects, in logit units; sigmas chosen so that each matters but none dominates.
        FormatEffect = new Dictionary<(CreativeKind, int, int), double>
        {
            [(CreativeKind.Banner, 300, 250)] = 0.0,
            [(CreativeKind.Banner, 728, 90)] = -0.35,
            [(CreativeKind.Banner, 160, 600)] = -0.25,
            [(CreativeKind.Banner, 320, 50)] = -0.5,
            [(CreativeKind.Banner, 300, 600)] = 0.2,
            [(CreativeKind.Video, 640, 480)] = 0.6,
            [(CreativeKind.Native, 0, 0)] = 0.35,
        };
        FormatLatent = FormatEffect.Keys.ToDictionary(k => k, _ => Enumerable.Range(0, LatentDim).Select(_ => Gaussian.Next(random, 0.5)).ToArray());
        PosEffect = [0.0, 0.3, 0.0, -0.3, 0.1, -0.2, -0.15, 0.45];
        DeviceClassPos = new double[5, 8];
        for (var d = 0; d < 5; d++)
        {
            for (var p = 0; p < 8; p++)
            {
                DeviceClassPos[d, p] = Gaussian.Next(random, 0.3);
            }
        }

        var n = Campaigns.Count;
        CampaignBase = Campaigns.Select(c => 0.6 * Math.Log(c.CtrPrior / 0.005)).ToArray();
        CampaignCountry = Matrix(random, n, Countries.Length, 0.35);
        CampaignDeviceClass = Matrix(random, n, 5, 0.3);
        CampaignCategory = Matrix(random, n, Categories, 0.2);
        CampaignHourPhase = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 24).ToArray();
        CreativeEffect = Pairs.ToDictionary(p => p.Creative.Id, _ => Gaussian.Next(random, 0.15));
        CountryEffect = Countries.Select(_ => Gaussian.Next(random, 0.2)).ToArray();
        RegionEffect = Countries.Select(c => c.Regions.Select(_ => Gaussian.Next(random, 0.1)).ToArray()).ToArray();
        OsEffect = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
        {
            ["ios"] = 0.12,
            ["android"] = 0.0,
            ["windows"] = -0.1,
            ["macos"] = 0.05,
            ["linux"] = -0.2,
            ["tvos"] = 0.1,
            ["roku"] = -0.05,
        };
        MakeEffect = SiteDevices.Concat(AppDevices).Select(d => d.Make ?? "").Distinct().ToDictionary(m => m, _ => Gaussian.Next(random, 0.08));
    }

    public SimCountry[] Countries { get; }

    public Sampler CountrySampler { get; }

    public SimDevice[] SiteDevices { get; }

    public SimDevice[] AppDevices { get; }

    public Sampler SiteDeviceSampler { get; }

    public Sampler AppDeviceSampler { get; }

    public SimProperty[] Sites { get; }

    public SimProperty[] Apps { get; }

    public Sampler SiteSampler { get; }

    public Sampler AppSampler { get; }

    public List<Campaign> Campaigns { get; }

    public (int CampaignIndex, Campaign Campaign, Creative Creative)[] Pairs { get; }

    public Dictionary<(CreativeKind, int, int), double> FormatEffect { get; }

    public Dictionary<(CreativeKind, int, int), double[]> FormatLatent { get; }

    public double[] PosEffect { get; }

    public double[,] DeviceClassPos { get; }

    public double[] CampaignBase { get; }

    public double[,] CampaignCountry { get; }

    public double[,] CampaignDeviceClass { get; }

    public double[,] CampaignCategory { get; }

    public double[] CampaignHourPhase { get; }

    public Dictionary<string, double> CreativeEffect { get; }

    public double[] CountryEffect { get; }

    public double[][] RegionEffect { get; }

    public Dictionary<string, double> OsEffect { get; }

    public Dictionary<string, double> MakeEffect { get; }

    /// <summary>Logit offset making the mean CTR of the traffic about 1% (set by the simulator).</summary>
    public double Intercept { get; set; } = -5.4;

    public static int DeviceClassOf(int deviceType) => PlacementBucket.DeviceClassOf(deviceType);

    private static double[,] Matrix(Random random, int rows, int cols, double sigma)
    {
        var m = new double[rows, cols];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                m[r, c] = Gaussian.Next(random, sigma);
            }
        }

        return m;
    }

    private static SimCountry[] MakeCountries() =>
    [
        new("USA", 34, ["CA", "NY", "TX", "FL", "IL", "WA"], [-480, -300, -360, -300, -360, -480]),
        new("GBR", 8, ["ENG", "SCT", "WLS"], [0, 0, 0]),
        new("DEU", 8, ["BY", "BE", "NW", "HH"], [60, 60, 60, 60]),
        new("FRA", 6, ["IDF", "ARA", "PAC"], [60, 60, 60]),
        new("CAN", 5, ["ON", "BC", "QC", "AB"], [-300, -480, -300, -420]),
        new("BRA", 6, ["SP", "RJ", "MG"], [-180, -180, -180]),
        new("IND", 10, ["MH", "DL", "KA", "TN"], [330, 330, 330, 330]),
        new("JPN", 5, ["13", "27", "23"], [540, 540, 540]),
        new("AUS", 3, ["NSW", "VIC", "QLD", "WA"], [600, 600, 600, 480]),
        new("ESP", 4, ["MD", "CT", "AN"], [60, 60, 60]),
        new("ITA", 4, ["LAZ", "LOM", "CAM"], [60, 60, 60]),
        new("MEX", 3, ["CMX", "JAL", "NLE"], [-360, -360, -360]),
        new("NLD", 3, ["NH", "ZH"], [60, 60]),
    ];

    private static SimDevice[] MakeDevices(bool isApp)
    {
        var list = new List<SimDevice>();
        void Phone(int type, double w)
        {
            list.Add(new(type, "iOS", "Apple", w * 0.45, isApp));
            list.Add(new(type, "Android", "Samsung", w * 0.25, isApp));
            list.Add(new(type, "Android", "Google", w * 0.1, isApp));
            list.Add(new(type, "android", "Xiaomi", w * 0.12, isApp));
            list.Add(new(type, "Android", "Motorola", w * 0.08, isApp));
        }

        if (isApp)
        {
            Phone(4, 0.68);
            Phone(5, 0.14);
            Phone(1, 0.06);
            list.Add(new(3, "Roku", "Roku", 0.04, isApp));
            list.Add(new(3, "Android", "Sony", 0.03, isApp));
            list.Add(new(7, "tvOS", "Apple", 0.03, isApp));
            list.Add(new(3, "Android", "TCL", 0.02, isApp));
        }
        else
        {
            list.Add(new(2, "Windows", "Dell", 0.14, isApp));
            list.Add(new(2, "Windows", "HP", 0.13, isApp));
            list.Add(new(2, "Windows", "Lenovo", 0.12, isApp));
            list.Add(new(2, "macOS", "Apple", 0.12, isApp));
            list.Add(new(2, "Linux", null, 0.02, isApp));
            Phone(4, 0.35);
            Phone(5, 0.08);
            Phone(1, 0.04);
        }

        return [.. list];
    }

    private static SimPublisher MakePublisher(Random random) =>
        new(random.Next(Categories), Gaussian.Next(random, 0.35), Enumerable.Range(0, LatentDim).Select(_ => Gaussian.Next(random, 0.4)).ToArray());

    private static SimProperty MakeProperty(Random random, bool isApp, int index, SimPublisher[] publishers)
    {
        string[] words = ["news", "sport", "recipes", "tech", "travel", "games", "finance", "weather", "music", "movies", "health", "cars"];
        var publisher = random.Next(publishers.Length);
        var owner = publishers[publisher];

        // A publisher keeps to its category, mostly.
        var category = random.NextDouble() < 0.85 ? owner.Category : random.Next(Categories);
        var name = isApp
            ? $"com.{words[category]}{index}.app"
            : $"{words[category]}-{index}.example";

        // The site's own deviation shrinks with its traffic share (sd ∝ √weight): what a site
        // with little traffic adds to its publisher is small, as it would be after shrinkage.
        var ownSigma = OwnEffectSigma * Math.Pow(index + 1, -ZipfExponent / 2);
        var quality = owner.Quality + Gaussian.Next(random, ownSigma);
        var latent = owner.Latent.Select(l => l + Gaussian.Next(random, ownSigma)).ToArray();
        var slots = new List<SimPlacement>();
        string Tag(string slot) => $"{name}/{slot}";
        if (isApp)
        {
            slots.Add(new(Tag("banner"), CreativeKind.Banner, [new(320, 50)], random.Next(2) == 0 ? 1 : 5, true, false));
            slots.Add(new(Tag("interstitial"), CreativeKind.Banner, [new(320, 480), new(300, 250)], 7, true, false));
            if (random.Next(2) == 0)
            {
                slots.Add(new(Tag("mrec"), CreativeKind.Banner, [new(300, 250)], 3, true, false));
            }

            if (random.Next(3) == 0)
            {
                slots.Add(new(Tag("native-feed"), CreativeKind.Native, [], 4, true, false));
            }

            slots.Add(new(Tag("rewarded"), CreativeKind.Video, [new(640, 480)], 7, true, true));
        }
        else
        {
            // Desktop slots.
            var topSize = BannerSizes[random.Next(2) == 0 ? 1 : 5];
            slots.Add(new(Tag("top"), CreativeKind.Banner, [new(topSize.W, topSize.H), new(728, 90)], 1, false, false));
            slots.Add(new(Tag("mrec"), CreativeKind.Banner, [new(300, 250)], random.Next(2) == 0 ? 1 : 3, false, false));
            if (random.Next(2) == 0)
            {
                slots.Add(new(Tag("side"), CreativeKind.Banner, [new(160, 600), new(300, 600)], 6, false, false));
            }

            if (random.Next(4) == 0)
            {
                slots.Add(new(Tag("preroll"), CreativeKind.Video, [new(640, 480)], 1, false, false));
            }

            // Mobile web slots.
            slots.Add(new(Tag("m-top"), CreativeKind.Banner, [new(320, 50)], 1, true, false));
            slots.Add(new(Tag("m-inline"), CreativeKind.Banner, [new(300, 250), new(320, 50)], 3, true, false));
            if (random.Next(3) == 0)
            {
                slots.Add(new(Tag("m-native"), CreativeKind.Native, [], 0, true, false));
            }

            if (random.Next(3) == 0)
            {
                slots.Add(new(Tag("native"), CreativeKind.Native, [], 4, false, false));
            }
        }

        var publisherId = (isApp ? "apub-" : "pub-") + publisher.ToString("D3");
        return new SimProperty(isApp, name, publisherId, category, quality, latent, [.. slots]);
    }

    private static Campaign MakeCampaign(Random random, int index)
    {
        string[] countries = ["USA", "GBR", "DEU", "FRA", "CAN", "BRA", "IND", "JPN", "AUS", "ESP", "ITA", "MEX", "NLD"];
        var targetCountries = random.Next(2) == 0 ? [] : countries.Where(_ => random.NextDouble() < 0.4).ToList();
        List<int> deviceTypes = random.Next(10) switch
        {
            < 6 => [],
            < 8 => [1, 4, 5],
            _ => [2],
        };
        var creatives = new List<Creative>();
        var id = $"sim-cmp-{index:D2}";
        var kinds = random.Next(10);
        if (kinds < 6)
        {
            foreach (var (w, h) in BannerSizes.Take(5).Where(_ => random.NextDouble() < 0.5).DefaultIfEmpty((300, 250)))
            {
                creatives.Add(new Creative($"{id}-{w}x{h}", CreativeKind.Banner, w, h, "<a>ad</a>", null, [], 0));
            }
        }
        else if (kinds < 8)
        {
            creatives.Add(new Creative($"{id}-video", CreativeKind.Video, 640, 480, null, "https://sim.example/vast", ["video/mp4"], 15));
        }
        else
        {
            creatives.Add(new Creative($"{id}-native", CreativeKind.Native, 0, 0, "{}", null, [], 0));
        }

        var prior = Math.Round(0.002 + (random.NextDouble() * 0.008), 4);
        return new Campaign(id, [$"advertiser{index}.example"], ["IAB1"], 0.5 + (random.NextDouble() * 2.5), 10.0, prior, new Targeting(targetCountries, deviceTypes, []), creatives);
    }
}
