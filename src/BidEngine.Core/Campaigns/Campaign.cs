using System.Text;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// An advertiser's campaign: what it pays for a click, whom it targets and its creatives.
/// Immutable; a new configuration makes a new <see cref="CampaignSnapshot"/>.
/// </summary>
public sealed class Campaign
{
    public Campaign(
        string id,
        IReadOnlyList<string> adomain,
        IReadOnlyList<string> categories,
        double valuePerClick,
        double maxBidCpm,
        double ctrPrior,
        Targeting targeting,
        IReadOnlyList<Creative> creatives,
        string seat = "bidengine",
        string? appBundle = null)
    {
        Id = id;
        Adomain = adomain;
        Categories = categories;
        ValuePerClick = valuePerClick;
        MaxBidCpm = maxBidCpm;
        CtrPrior = ctrPrior;
        Targeting = targeting;
        Creatives = creatives;
        Seat = seat;
        AppBundle = appBundle;
        AppBundleUtf8 = appBundle is null ? null : Encoding.UTF8.GetBytes(appBundle);
        IdUtf8 = Encoding.UTF8.GetBytes(id);
        IdUrlUtf8 = Notices.NoticeUrls.QueryValue(id);
        AdomainUtf8 = adomain.Select(Encoding.UTF8.GetBytes).ToArray();
        CategoriesUtf8 = categories.Select(Encoding.UTF8.GetBytes).ToArray();
        SeatUtf8 = Encoding.UTF8.GetBytes(seat);
    }

    public string Id { get; }

    /// <summary>Advertiser domains, sent as <c>bid.adomain</c> and checked against <c>badv</c>.</summary>
    public IReadOnlyList<string> Adomain { get; }

    /// <summary>IAB content categories of the ads, sent as <c>bid.cat</c> and checked against <c>bcat</c>.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>What one click is worth to the advertiser, in the bidder's currency (USD).</summary>
    public double ValuePerClick { get; }

    /// <summary>Highest CPM the campaign will ever bid, in USD.</summary>
    public double MaxBidCpm { get; }

    /// <summary>The CTR assumed when no model score is at hand.</summary>
    public double CtrPrior { get; }

    public Targeting Targeting { get; }

    public IReadOnlyList<Creative> Creatives { get; }

    /// <summary>The seat the bids of this campaign are placed on behalf of.</summary>
    public string Seat { get; }

    /// <summary>The store id of the app this campaign advertises, if any; checked against <c>bapp</c>.</summary>
    public string? AppBundle { get; }

    public byte[] IdUtf8 { get; }

    /// <summary>The id percent-encoded, as it goes into the query of a notice URL.</summary>
    public byte[] IdUrlUtf8 { get; }

    public byte[]? AppBundleUtf8 { get; }

    public byte[][] AdomainUtf8 { get; }

    public byte[][] CategoriesUtf8 { get; }

    public byte[] SeatUtf8 { get; }
}
