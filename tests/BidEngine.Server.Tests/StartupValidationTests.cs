namespace BidEngine.Server.Tests;

/// <summary>A bad setting, settings that clash, or a file that cannot serve stop the start with a message naming them.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("--BidEngine:Http:MaxBodyBytes=10", "BidEngine:Http:MaxBodyBytes")]
    [InlineData("--BidEngine:Deadline:NetworkReserveMs=500", "BidEngine:Deadline:NetworkReserveMs")]
    [InlineData("--BidEngine:Pricing:FirstPriceShading=1.5", "BidEngine:Pricing:FirstPriceShading")]
    [InlineData("--BidEngine:Pricing:Shading:MaxFactor=1.2", "BidEngine:Pricing:Shading:MaxFactor")]
    [InlineData("--BidEngine:Pricing:Shading:Step=0", "BidEngine:Pricing:Shading:Step")]
    [InlineData("--BidEngine:Pricing:Shading:ExploreShare=0.9", "BidEngine:Pricing:Shading:ExploreShare")]
    [InlineData("--BidEngine:Currency:UsdPerUnit:EUR=-1", "BidEngine:Currency:UsdPerUnit:EUR")]
    [InlineData("--BidEngine:Notices:BaseUrl=bidder.example.com", "BidEngine:Notices:BaseUrl")]
    [InlineData("--BidEngine:Notices:BaseUrl=https://bidder.example.com/?x=1", "BidEngine:Notices:BaseUrl")]
    [InlineData("--BidEngine:Notices:RefreshSeconds=0", "BidEngine:Notices:RefreshSeconds")]
    [InlineData("--BidEngine:Notices:PriorStrengthImpressions=0", "BidEngine:Notices:PriorStrengthImpressions")]
    [InlineData("--BidEngine:Notices:SavePath=/no/such/folder/priors.json", "BidEngine:Notices:SavePath")]
    [InlineData("--BidEngine:Notices:TokenLifetimeSeconds=0", "BidEngine:Notices:TokenLifetimeSeconds")]
    [InlineData("--BidEngine:Notices:ReplayWindowCapacity=10", "BidEngine:Notices:ReplayWindowCapacity")]
    [InlineData("--BidEngine:Model:MaxBatchRows=96", "BidEngine:Model:MaxBatchRows")]
    [InlineData("--BidEngine:Model:ModelPath=/no/such/model.onnx", "BidEngine:Model:ModelPath")]
    [InlineData("--BidEngine:PriorsPath=/no/such/priors.json", "BidEngine:PriorsPath")]
    [InlineData("--BidEngine:CampaignsPath=/no/such/campaigns.json", "BidEngine:CampaignsPath")]
    [InlineData("--BidEngine:ModelsFolder=/no/such/folder", "BidEngine:ModelsFolder")]
    [InlineData("--BidEngine:ConfigFolder=/no/such/folder", "BidEngine:ConfigFolder")]
    [InlineData("--BidEngine:Privacy:VendorId=70000", "BidEngine:Privacy:VendorId")]
    [InlineData("--BidEngine:Privacy:VendorId=-1", "BidEngine:Privacy:VendorId")]
    [InlineData("--BidEngine:Pipeline:MaxCandidate=5", "'MaxCandidate'")]
    [InlineData("--BidEngine:Exchanges:Big-Exchange:Seat=x", "BidEngine:Exchanges:Big-Exchange")]
    [InlineData("--BidEngine:Exchanges:gx:Health:TripShare=0", "BidEngine:Exchanges:gx:Health:TripShare")]
    [InlineData("--BidEngine:Model:MaxBatchRows=lots", "BidEngine:Model:MaxBatchRows cannot be 'lots': it must be a valid Int32")]
    [InlineData("--BidEngine:Http:MaxBodyBytes=big", "BidEngine:Http:MaxBodyBytes cannot be 'big'")]
    [InlineData("--BidEngine:Model:Batching=Sometimes", "BidEngine:Model:Batching cannot be 'Sometimes': it must be one of None, GroupCommit")]
    [InlineData("--BidEngine:Exchanges:gx:BillOn=Both", "BidEngine:Exchanges:gx:BillOn cannot be 'Both': it must be one of Burl, Nurl")]
    [InlineData("--BidEngine:Privacy:GdprWhenUnsignalled=Maybe", "it must be one of DoesNotApply, AppliesInEea")]
    [InlineData("--BidEngine:Currency:UsdPerUnit:EUR=abc", "BidEngine:Currency:UsdPerUnit:EUR cannot be 'abc': it must be a valid Double")]
    public async Task RefusesToStartWithABadSettingAndNamesIt(string setting, string name)
    {
        var error = await BidderHost.StartFailsAsync(setting);

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--BidEngine:Notices:SigningKey=c2hvcnQtc2VjcmV0LWtleQ==", "BidEngine:Notices:SigningKey", "c2hvcnQtc2VjcmV0LWtleQ==")]
    [InlineData("--BidEngine:Notices:SigningKey=not base64 at all, though long enough to be a key", "BidEngine:Notices:SigningKey", "not base64")]
    [InlineData("--BidEngine:Notices:PreviousSigningKey=c2hvcnQtc2VjcmV0LWtleQ==", "BidEngine:Notices:PreviousSigningKey", "c2hvcnQtc2VjcmV0LWtleQ==")]
    public async Task RefusesABadSigningKeyNamingTheSettingButNeverItsValue(string setting, string name, string secret)
    {
        var error = await BidderHost.StartFailsAsync(setting);

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--BidEngine:Pipeline:MaxCandidates=256" }, "BidEngine:Pipeline:MaxCandidates", "BidEngine:Model:MaxBatchRows")]
    [InlineData(new[] { "--BidEngine:Model:MaxBatchRows=64" }, "BidEngine:Pipeline:MaxCandidates", "BidEngine:Model:MaxBatchRows")]
    [InlineData(new[] { "--BidEngine:Pricing:Shading:MinObservations=3000" }, "BidEngine:Pricing:Shading:MinObservations", "BidEngine:Pricing:Shading:HalfLifeObservations")]
    [InlineData(new[] { "--BidEngine:Pricing:Shading:MinFactor=0.9" }, "BidEngine:Pricing:FirstPriceShading", "BidEngine:Pricing:Shading:MinFactor")]
    [InlineData(new[] { "--BidEngine:Deadline:DefaultTmaxMs=600" }, "BidEngine:Deadline:DefaultTmaxMs", "BidEngine:Deadline:MaxTmaxMs")]
    [InlineData(new[] { "--BidEngine:Deadline:WriteReserveMicros=85000" }, "BidEngine:Deadline:WriteReserveMicros", "BidEngine:Deadline:DefaultTmaxMs", "BidEngine:Deadline:NetworkReserveMs")]
    [InlineData(new[] { "--BidEngine:Model:PreallocatedSlotsPerBucket=8", "--BidEngine:Model:MaxPooledSlotsPerBucket=4" }, "BidEngine:Model:MaxPooledSlotsPerBucket", "PreallocatedSlotsPerBucket")]
    public async Task RefusesSettingsThatClashNamingEachOfThem(string[] settings, params string[] names)
    {
        var error = await BidderHost.StartFailsAsync(settings);

        foreach (var name in names)
        {
            Assert.Contains(name, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ABatchAsLargeAsTheCandidatesIsNoClashAndWithoutTheModelNeitherIsASmallerOne()
    {
        // The clash check must not refuse what works: these start and bid.
        await using var matched = BidderHost.With("--BidEngine:Pipeline:MaxCandidates=64", "--BidEngine:Model:MaxBatchRows=64");
        await matched.InitializeAsync();
        await using var heuristic = BidderHost.With("--BidEngine:UseModel=false", "--BidEngine:Model:MaxBatchRows=64");
        await heuristic.InitializeAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await matched.Client.SendAsync(BidRequests.Post(BidRequests.Banner))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await heuristic.Client.SendAsync(BidRequests.Post(BidRequests.Banner))).StatusCode);
    }

    [Fact]
    public async Task RefusesAModelFromAnotherFeatureSpecVersionNamingBothVersions()
    {
        // The shipped model with its feature-spec version rewritten in place (same length, so the file stays valid).
        var folder = Directory.CreateTempSubdirectory("bidengine-model-");
        try
        {
            var shipped = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "models", "ctr.onnx"));
            var patched = Replace(shipped, "ctr-features-v1"u8, "ctr-features-v0"u8);
            var path = Path.Combine(folder.FullName, "old.onnx");
            await File.WriteAllBytesAsync(path, patched);

            var error = await BidderHost.StartFailsAsync("--BidEngine:Model:ModelPath=" + path);

            Assert.Contains("BidEngine:Model:ModelPath", error.Message, StringComparison.Ordinal);
            Assert.Contains("'ctr-features-v0'", error.Message, StringComparison.Ordinal);
            Assert.Contains("'ctr-features-v1'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("CampaignsPath", "{ \"campaigns\": [ { \"id\": ")]
    [InlineData("PriorsPath", "not json")]
    public async Task RefusesAFileThatDoesNotLoadNamingItsSetting(string setting, string content)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, content);

            var error = await BidderHost.StartFailsAsync($"--BidEngine:{setting}={file}");

            Assert.Contains($"BidEngine:{setting} '{file}' does not load", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheProcessExitsNonZeroWithTheMessageInsteadOfServing()
    {
        await using var server = ServerProcess.Start(["--BidEngine:UseModel=true", "--BidEngine:Pipeline:MaxCandidates=256", "--urls", $"http://127.0.0.1:{ServerProcess.FreeLoopbackPort()}"]);

        var exitCode = await server.ExitCodeAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode is not null and not 0, server.Output);
        Assert.Contains("BidEngine refused to start", server.Output, StringComparison.Ordinal);
        Assert.Contains("BidEngine:Pipeline:MaxCandidates (256) is above BidEngine:Model:MaxBatchRows (128)", server.Output, StringComparison.Ordinal);
    }

    private static byte[] Replace(byte[] bytes, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        var at = bytes.AsSpan().IndexOf(from);
        Assert.True(at >= 0, "the shipped model names its feature-spec version");
        var copy = (byte[])bytes.Clone();
        to.CopyTo(copy.AsSpan(at));
        return copy;
    }
}
