using System.Text;

namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>
/// The bodies the fuzz tests mutate: every <c>*.json</c> under the repository's <c>corpus/requests</c>
/// and <c>corpus/offspec</c>, then a few written here, so that the tests have seeds even without
/// the folder. Sorted by path, so that a CsCheck seed replays the same case while the corpus is unchanged.
/// </summary>
internal static class FuzzSeeds
{
    /// <summary>The smallest request the bidder accepts.</summary>
    public const string Minimal = """{"id":"r1","imp":[{"id":"1","banner":{"w":300,"h":250}}]}""";

    /// <summary>An app request with banner, video and native imps, a deal, floors in two currencies and the 2.5 regs.ext form.</summary>
    public const string MultiImpApp = """
        {"id":"app-req-7","tmax":120,"at":1,"cur":["USD","EUR"],
         "imp":[{"id":"1","banner":{"w":320,"h":50,"format":[{"w":320,"h":50},{"w":300,"h":250}]},"bidfloor":0.5,"bidfloorcur":"USD","secure":1},
                {"id":"2","video":{"mimes":["video/mp4"],"minduration":5,"maxduration":30,"w":640,"h":480,"plcmt":1},"bidfloor":2.25,"bidfloorcur":"EUR"},
                {"id":"3","native":{"request":"{\"ver\":\"1.2\",\"assets\":[]}","ver":"1.2"},"pmp":{"private_auction":0,"deals":[{"id":"d1","bidfloor":1.5,"bidfloorcur":"USD","at":1}]}}],
         "app":{"id":"a1","bundle":"com.example.game","cat":["IAB9"],"publisher":{"id":"p9"}},
         "device":{"ua":"Mozilla/5.0","ip":"203.0.113.7","devicetype":4,"os":"Android","make":"Samsung","geo":{"country":"DEU","lat":52.5,"lon":13.4,"utcoffset":60}},
         "user":{"id":"u1","yob":1990},"regs":{"coppa":0,"ext":{"gdpr":1,"us_privacy":"1YNN"}},
         "source":{"tid":"t1","ext":{"schain":{"complete":1,"nodes":[{"asi":"x.example","sid":"1","hp":1}]}}},
         "bcat":["IAB25"],"badv":["bad.example"],"ext":{"prebid":{"debug":true}}}
        """;

    /// <summary>A request the sample campaigns bid on (a 300x250 banner in the USA on a phone), so that the HTTP run sees 200s too.</summary>
    public const string BiddableBanner = """
        {"id":"req-1","tmax":200,"cur":["USD"],"imp":[{"id":"imp-1","banner":{"w":300,"h":250},"bidfloor":0.10}],
         "site":{"id":"s1","domain":"news.example","publisher":{"id":"p1"}},"device":{"devicetype":4,"os":"iOS","geo":{"country":"USA"}}}
        """;

    public static IReadOnlyList<FuzzSeed> All { get; } = Load();

    /// <summary>How many seeds came from the repository's corpus folder (the rest are written above).</summary>
    public static int FromCorpus { get; private set; }

    /// <summary>The case, its seed's name and the start of the mutated body, for the failure message.</summary>
    public static string Describe(FuzzCase fuzz)
    {
        var seed = FuzzSeeds.All[fuzz.SeedIndex];
        var body = Mutator.Apply(seed.Body, fuzz.Steps);
        return $"{fuzz} from {seed.Name}; body ({body.Length} bytes): {Preview(body)}";
    }

    private static string Preview(byte[] body)
    {
        var text = new StringBuilder();
        foreach (var b in body.AsSpan(0, Math.Min(body.Length, 600)))
        {
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return body.Length > 600 ? text.Append("...").ToString() : text.ToString();
    }

    private static List<FuzzSeed> Load()
    {
        var seeds = new List<FuzzSeed>();
        var root = RepositoryRoot();
        foreach (var folder in new[] { "requests", "offspec" })
        {
            var path = Path.Combine(root, "corpus", folder);
            if (!Directory.Exists(path))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                seeds.Add(new FuzzSeed(Path.GetRelativePath(root, file), File.ReadAllBytes(file)));
            }
        }

        FromCorpus = seeds.Count;
        seeds.Add(new FuzzSeed("inline:Minimal", Encoding.UTF8.GetBytes(Minimal)));
        seeds.Add(new FuzzSeed("inline:MultiImpApp", Encoding.UTF8.GetBytes(MultiImpApp)));
        seeds.Add(new FuzzSeed("inline:BiddableBanner", Encoding.UTF8.GetBytes(BiddableBanner)));
        return seeds;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("BidEngine.sln not found above " + AppContext.BaseDirectory + ": the fuzz seeds live in <repository>/corpus");
    }
}
