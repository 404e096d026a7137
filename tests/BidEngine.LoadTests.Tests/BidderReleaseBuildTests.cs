using System.Text.Json;
using Xunit;

namespace BidEngine.LoadTests.Tests;

/// <summary>What the Release build of the bidder ships.</summary>
public sealed class BidderReleaseBuildTests
{
    /// <summary>
    /// Writing models (OnnxSharp and its protobuf runtime) belongs to BidEngine.Model.Authoring, which the
    /// server must not reference: its deps.json, written afresh by every build, lists all it loads.
    /// </summary>
    [Fact]
    public async Task ShipsWithoutTheModelWritersPackages()
    {
        var dll = await ReleaseBidder.DllAsync();
        using var deps = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(dll, ".deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToList();

        Assert.Contains("Microsoft.ML.OnnxRuntime", libraries); // the list is the real one
        Assert.Contains("BidEngine.Model", libraries);
        Assert.DoesNotContain("BidEngine.Model.Authoring", libraries);
        Assert.DoesNotContain("OnnxSharp", libraries);
        Assert.DoesNotContain("Google.Protobuf", libraries);
    }
}
