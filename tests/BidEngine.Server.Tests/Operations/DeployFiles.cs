namespace BidEngine.Server.Tests.Operations;

/// <summary>The monitoring files shipped under <c>deploy/</c>, read where they are in the repository (never a copy in the build output).</summary>
internal static class DeployFiles
{
    /// <summary>The address the shipped scrape configuration lists: the management listener's default (<c>BidEngine:Management:Url</c>).</summary>
    public const string ShippedTarget = "127.0.0.1:5001";

    public static string Prometheus => Path.Combine(Root, "deploy", "prometheus");

    public static string ScrapeConfig => Path.Combine(Prometheus, "prometheus.yml");

    public static string Rules => Path.Combine(Prometheus, "bidengine-rules.yml");

    public static string RuleTests => Path.Combine(Prometheus, "bidengine-rules.test.yml");

    public static string Dashboard => Path.Combine(Root, "deploy", "grafana", "bidengine-dashboard.json");

    private static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BidEngine.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("BidEngine.sln not found above " + AppContext.BaseDirectory + ": the deploy files live in <repository>/deploy");
        }
    }

    /// <summary>
    /// Copies the shipped configuration and its rules into <paramref name="folder"/>, with its one target
    /// replaced by <paramref name="target"/>, and scrapes and evaluations every second instead of every
    /// 15 s (a test cannot wait for 15 s scrapes). Each replaced text must occur exactly once, so that a
    /// change of the shipped file's shape fails here rather than testing something else.
    /// </summary>
    public static void WriteTestCopy(string folder, string target)
    {
        var config = File.ReadAllText(ScrapeConfig);
        config = ReplaceOnce(config, "- " + ShippedTarget, "- " + target);
        config = ReplaceOnce(config, "scrape_interval: 15s", "scrape_interval: 1s");
        config = ReplaceOnce(config, "scrape_timeout: 5s", "scrape_timeout: 1s");
        config = ReplaceOnce(config, "evaluation_interval: 15s", "evaluation_interval: 1s");
        File.WriteAllText(Path.Combine(folder, "prometheus.yml"), config);
        File.Copy(Rules, Path.Combine(folder, Path.GetFileName(Rules)));
    }

    private static string ReplaceOnce(string text, string from, string to)
    {
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(from, at + from.Length, StringComparison.Ordinal) < 0, $"the shipped prometheus.yml should hold '{from}' exactly once");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
