using System.Text.RegularExpressions;

namespace BidEngine.Server.Tests.Docs;

/// <summary>
/// Runs a page's examples against a real bidder, in page order, and lists every answer that is not
/// the one shown, each as <c>page:line: what differs</c>.
/// <list type="bullet">
/// <item>A <c>sh</c> block with <c>dotnet run ... --project src/BidEngine.Server [-- settings]</c> says
/// how the bidder of the examples after it is started: a fresh bidder with those settings (the
/// page's first examples get one on its defaults).</item>
/// <item>A <c>sh</c> block with a <c>curl</c> to <c>127.0.0.1:5000</c> (the bid port) or
/// <c>127.0.0.1:5001</c> (the management port) is an example: it runs (<see cref="DocShell"/>) and the
/// next block, <c>http</c> or <c>text</c>, is the answer it must give (<see cref="ShownAnswer"/>). One
/// without an answer block fails, unless marked <c>&lt;!-- unchecked: why --&gt;</c>.</item>
/// </list>
/// The doc's addresses become the test bidder's, in the settings, the commands and back in the answers.
/// </summary>
internal static partial class DocExamples
{
    public const string BidAddress = "http://127.0.0.1:5000";
    public const string ManagementAddress = "http://127.0.0.1:5001";

    [GeneratedRegex(@"\bcurl\b.*127\.0\.0\.1:500[01]")]
    private static partial Regex SendsToBidder();

    [GeneratedRegex(@"^dotnet run .*--project src/BidEngine\.Server(?:\s+--\s+(?<settings>.*)|\s*(?:#.*)?)$", RegexOptions.Multiline)]
    private static partial Regex StartsBidder();

    public static async Task<(int Examples, List<string> Problems)> RunAsync(MarkdownPage page)
    {
        var problems = new List<string>();
        var examples = 0;
        string[] settings = [];
        BidderHost? host = null;
        DocShell? shell = null;
        HttpClient? http = null;
        try
        {
            for (var b = 0; b < page.Blocks.Count; b++)
            {
                var block = page.Blocks[b];
                if (block.Info is not ("sh" or "bash"))
                {
                    continue;
                }

                if (StartsBidder().Match(block.Text) is { Success: true } start)
                {
                    settings = [.. ShellWords.Split(start.Groups["settings"].Value).OfType<ShellWords.Word>().Select(w => string.Concat(w.Parts.Select(p => p.Text)))];
                    if (host is not null)
                    {
                        await host.DisposeAsync();
                        (host, shell) = (null, null);
                    }
                }

                if (!SendsToBidder().IsMatch(block.Text) || block.Comment?.StartsWith("unchecked:", StringComparison.Ordinal) == true)
                {
                    continue;
                }

                var answer = b + 1 < page.Blocks.Count && page.Blocks[b + 1].Info is "http" or "text" ? page.Blocks[b + 1] : null;
                if (answer is null)
                {
                    problems.Add($"{page.Name}:{block.Line}: a request to the bidder without the answer it gives (an http or text block next), and not marked <!-- unchecked: why -->");
                    continue;
                }

                examples++;
                if (host is null)
                {
                    http ??= new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None, AllowAutoRedirect = false });
                    (host, shell) = await StartAsync(settings, http);
                }

                string printed;
                try
                {
                    printed = await shell!.RunAsync(block.Text);
                }
                catch (NotSupportedException e)
                {
                    problems.Add($"{page.Name}:{block.Line}: the test cannot run this example: {e.Message}");
                    continue;
                }

                problems.AddRange(ShownAnswer.Differences(answer, printed, shell.LastAnswer).Select(d => $"{page.Name}:{answer.Line}: {d}"));
            }
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            http?.Dispose();
        }

        return (examples, problems);
    }

    /// <summary>
    /// A bidder with the page's settings on a port chosen first, so that a setting naming the bid
    /// address (<c>Notices:BaseUrl</c>) can name the real one.
    /// </summary>
    private static async Task<(BidderHost, DocShell)> StartAsync(string[] settings, HttpClient http)
    {
        var bid = $"http://127.0.0.1:{ServerProcess.FreeLoopbackPort()}";
        var host = BidderHost.With(["--urls", bid, .. settings.Select(s => s.Replace(BidAddress, bid, StringComparison.Ordinal))]);
        await host.InitializeAsync();
        // The bid address first: until the management listener has a port of its own, both are the
        // same, and an address in an answer is written back as the bid port's.
        KeyValuePair<string, string>[] addresses =
        [
            new(BidAddress, host.Client.BaseAddress!.ToString().TrimEnd('/')),
            new(ManagementAddress, host.Management.BaseAddress!.ToString().TrimEnd('/')),
        ];
        return (host, new DocShell(http, addresses));
    }
}
