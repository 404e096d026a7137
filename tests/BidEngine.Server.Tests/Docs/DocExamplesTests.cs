namespace BidEngine.Server.Tests.Docs;

/// <summary>
/// Every request the README and <c>docs/</c> show, sent to a real bidder started as the page says,
/// must get the answer the page shows (see <see cref="DocExamples"/> for the conventions), so that
/// the examples cannot drift from the bidder again.
/// </summary>
public sealed class DocExamplesTests
{
    public static TheoryData<string> Pages() => [.. MarkdownPage.All()];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task EveryExampleOfThePageGetsTheAnswerItShows(string page)
    {
        var (examples, problems) = await DocExamples.RunAsync(MarkdownPage.Read(page));

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        if (page == "README.md")
        {
            // The try-it: a bid, its bill, the spend, bad input.
            Assert.True(examples >= 4, $"README.md: {examples} checked examples, expected the try-it's four at least");
        }
    }

    [Fact]
    public async Task AnExampleThatDriftedFailsNamingThePageAndLine()
    {
        var page = MarkdownPage.Parse("drifted.md", """
            # A page that drifted

            ```sh
            curl -s -i http://127.0.0.1:5000/openrtb2/bid -d '{"id":"r1","imp":[{"id":"1","banner":{"w":300,"h":"250"}}]}'
            ```

            ```http
            HTTP/1.1 400 Bad Request
            Content-Type: application/json
            Server: Kestrel
            Transfer-Encoding: chunked
            x-openrtb-version: 2.6

            {"error":"wrong_type","field":"imp[].banner.w","message":"imp[].banner.h must be an integer, found a string"}
            ```

            ```sh
            curl -s http://127.0.0.1:5000/healthz
            ```
            """);

        var (_, problems) = await DocExamples.RunAsync(page);

        const string date = "drifted.md:7: does not show 'Date: ";
        Assert.Single(problems, p => p.StartsWith(date, StringComparison.Ordinal));
        Assert.Equal(
            [
                "drifted.md:7: shows 'Transfer-Encoding: chunked', the bidder sent no Transfer-Encoding",
                "drifted.md:7: does not show 'Content-Length: 109', which the bidder sent",
                "drifted.md:7: field: shows \"imp[].banner.w\", the bidder answered \"imp[].banner.h\"",
                "drifted.md:17: a request to the bidder without the answer it gives (an http or text block next), and not marked <!-- unchecked: why -->",
            ],
            problems.Where(p => !p.StartsWith(date, StringComparison.Ordinal)));
    }
}
