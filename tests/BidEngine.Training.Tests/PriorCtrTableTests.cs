using BidEngine.Core.Campaigns;
using BidEngine.Core.Heuristics;

namespace BidEngine.Training.Tests;

public sealed class PriorCtrTableTests
{
    private static PriorCtrTable Table() => new(new PriorCtrFile
    {
        GlobalCtr = 0.005,
        Campaigns =
        [
            new PriorCtrCampaign
            {
                Id = "cmp-acme-display",
                Ctr = 0.004,
                Buckets = [new PriorCtrBucket { Kind = (int)CreativeKind.Banner, W = 300, H = 250, DeviceClass = 1, Ctr = 0.007 }],
            },
        ],
    });

    [Fact]
    public void AnswersTheBucketThenTheCampaignThenTheCampaignsOwnPrior()
    {
        var table = Table();
        var request = TestRequests.Site(); // device type 4: mobile
        Assert.Equal(0.007, table.Lookup(TestRequests.Acme, TestRequests.Acme300x250, request, request.Imps[0]));

        request.Device.DeviceType = 2; // desktop: no bucket, the campaign's value
        Assert.Equal(0.004, table.Lookup(TestRequests.Acme, TestRequests.Acme300x250, request, request.Imps[0]));

        var other = TestRequests.Campaigns.Single(c => c.Id == "cmp-initech-video");
        Assert.Equal(other.CtrPrior, table.Lookup(other, other.Creatives[0], request, request.Imps[0]));
        Assert.Equal(other.CtrPrior, PriorCtrTable.Empty.Lookup(other, other.Creatives[0], request, request.Imps[0]));
    }

    [Fact]
    public void LooksUpWithoutAllocating()
    {
        var table = Table();
        var request = TestRequests.Site();
        var imp = request.Imps[0];

        // Found once: the helpers search by the creative's id, which a loaded creative makes when asked.
        var (campaign, creative) = (TestRequests.Acme, TestRequests.Acme300x250);
        var total = table.Lookup(campaign, creative, request, imp);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            total += table.Lookup(campaign, creative, request, imp);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(total > 0);
    }

    [Fact]
    public void SavesAndLoadsTheJsonFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"priors-{Guid.NewGuid():N}.json");
        try
        {
            PriorCtrTable.SaveFile(Table().File, path);
            var loaded = PriorCtrTable.LoadFile(path);
            Assert.Equal(1, loaded.BucketCount);
            Assert.Equal(0.007, loaded.Lookup(TestRequests.Acme, TestRequests.Acme300x250, 4));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
