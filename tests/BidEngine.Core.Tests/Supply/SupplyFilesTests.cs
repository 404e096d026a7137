using System.Text;
using BidEngine.Core.Supply;

namespace BidEngine.Core.Tests.Supply;

/// <summary>The operator's sellers.json and ads.txt files, read as the IAB specs say.</summary>
public sealed class SupplyFilesTests
{
    private static readonly SellersDirectory Sellers = SellersDirectory.Load(Path.Combine(TrafficFixtures.SupplyFolder, "sellers"));

    private static readonly AdsTxtDirectory AdsTxt = AdsTxtDirectory.Load(Path.Combine(TrafficFixtures.SupplyFolder, "ads-txt"), Path.Combine(TrafficFixtures.SupplyFolder, "app-ads-txt"));

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void ReadsEachSellerWithItsTypeAndConfidentialityAndSkipsEntriesWithoutAnId()
    {
        Assert.Equal(2, Sellers.Systems);
        Assert.Equal(9, Sellers.Sellers);
        Assert.Equal(1, Sellers.Ignored);
        Assert.True(Sellers.HasSystem(B("exchange.example")));
        Assert.False(Sellers.HasSystem(B("unknown.example")));
        Assert.True(Sellers.TryGet(B("exchange.example"), B("pub-news"), out var publisher));
        Assert.Equal(new Seller(SellerType.Publisher, false, false), publisher);
        Assert.True(Sellers.TryGet(B("exchange.example"), B("both-9"), out var both) && both.Type == SellerType.Both);
        Assert.True(Sellers.TryGet(B("exchange.example"), B("hidden-1"), out var hidden) && hidden.Confidential);
        Assert.True(Sellers.TryGet(B("exchange.example"), B("4242"), out _));
        Assert.True(Sellers.TryGet(B("exchange.example"), B("odd-type"), out var odd) && odd.Type == SellerType.Unknown);
        Assert.False(Sellers.TryGet(B("exchange.example"), B("PUB-NEWS"), out _));
        Assert.False(Sellers.TryGet(B("ssp.example"), B("pub-news"), out _));
    }

    [Fact]
    public void AFileThatIsNotASellersJsonRefusesTheLoadNamingIt()
    {
        var into = new Dictionary<(string, string), Seller>();
        var error = Assert.Throws<InvalidDataException>(() => SellersDirectory.Read(new MemoryStream(B("{\"sellers\": 3}")), "x.example", into, "x.example.json"));
        Assert.StartsWith("x.example.json:", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => SellersDirectory.Read(new MemoryStream(B("not json")), "x.example", into, "x.example.json"));
    }

    [Fact]
    public void AnIdListedTwiceIsEveryTypeItsEntriesSay()
    {
        var into = new Dictionary<(string, string), Seller>();
        SellersDirectory.Read(new MemoryStream(B("""{"sellers":[{"seller_id":"a","seller_type":"PUBLISHER"},{"seller_id":"a","seller_type":"intermediary","is_confidential":true}]}""")), "x", into, "x.json");
        Assert.Equal(new Seller(SellerType.Both, true, false), into[("x", "a")]);
    }

    [Fact]
    public void ReadsAdsTxtRecordsPastVariablesCommentsExtensionsAndBadLines()
    {
        Assert.Equal(2, AdsTxt.Sites);
        Assert.Equal(1, AdsTxt.Apps);
        Assert.True(AdsTxt.TryGetFile(app: false, B("news.example"), out var news));
        Assert.Equal(AdsTxtRelationship.Direct, news.Lists(B("exchange.example"), B("pub-news")));
        Assert.Equal(AdsTxtRelationship.Reseller, news.Lists(B("exchange.example"), B("ssp-resale")));
        Assert.Equal(AdsTxtRelationship.Reseller, news.Lists(B("exchange.example"), B("both-9")));
        Assert.Equal(AdsTxtRelationship.None, news.Lists(B("exchange.example"), B("missing-relationship")));
        Assert.Equal(AdsTxtRelationship.None, news.Lists(B("exchange.example"), B("bad-rel")));
        Assert.Equal(AdsTxtRelationship.None, news.Lists(B("exchange.example"), B("PUB-NEWS")));
        Assert.True(AdsTxt.SkippedLines >= 3);
        Assert.True(AdsTxt.TryGetFile(app: true, B("com.example.game"), out var game));
        Assert.Equal(AdsTxtRelationship.Direct, game.Lists(B("exchange.example"), B("pub-app")));
        Assert.False(AdsTxt.TryGetFile(app: false, B("com.example.game"), out _));
    }

    [Fact]
    public void ASellerListedBothWaysHasBothRelationships()
    {
        var directory = AdsTxtDirectory.Of(new Dictionary<string, string> { ["Site.Example"] = "x.example, 1, DIRECT\nx.example, 1, reseller\n" });
        Assert.True(directory.TryGetFile(app: false, B("site.example"), out var file));
        Assert.Equal(AdsTxtRelationship.Direct | AdsTxtRelationship.Reseller, file.Lists(B("x.example"), B("1")));
    }
}
