using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Response;

/// <summary>One bid on one imp. Byte arrays are shared, immutable campaign data; never written to.</summary>
public sealed class ResponseBid : IResettable
{
    /// <summary>A number unique within this bidder process, written as the bid's <c>id</c>.</summary>
    public long Id { get; set; }

    /// <summary>The imp this bid is for, as a slice of the request's text.</summary>
    public Utf8Slice ImpId { get; set; }

    /// <summary>CPM in the response currency.</summary>
    public double Price { get; set; }

    /// <summary>The deal this bid is made through (a slice of the request's <c>pmp.deals[].id</c>); absent in the open auction.</summary>
    public Utf8Slice DealId { get; set; }

    public byte[]? Adm { get; set; }

    public byte[]? Nurl { get; set; }

    /// <summary>
    /// Set when the markup carries the click-URL macro: with <see cref="Notices"/>, the markup is
    /// these parts joined by the click notice URL, and <see cref="Adm"/> is ignored.
    /// </summary>
    public byte[][]? AdmParts { get; set; }

    /// <summary>Writes this bid's notice URLs (shared by every bid); null writes no <c>burl</c> and no click URL.</summary>
    public Writing.INoticeUrlWriter? Notices { get; set; }

    /// <summary>The placement bucket key the notices report the outcome for.</summary>
    public long NoticeBucket { get; set; }

    /// <summary>The user key the billing notice counts the frequency cap for; 0 when the request named no user.</summary>
    public ulong NoticeUser { get; set; }

    /// <summary>The code of the currency the price is in, as the billing notice reports it back (shared bytes).</summary>
    public byte[] NoticeCurrency { get; set; } = [];

    /// <summary>The expected value the price was made from before shading and caps, CPM in the response currency; signed into the notices for the shading to learn from.</summary>
    public double NoticeValueCpm { get; set; }

    /// <summary>Whether the bid is made in a first-price auction: only those bids' outcomes teach the shading.</summary>
    public bool NoticeFirstPrice { get; set; }

    /// <summary>Whether the CTR behind <see cref="NoticeValueCpm"/> came from the model: signed into the notices, so that calibration is counted per scorer.</summary>
    public bool NoticeModelScored { get; set; }

    public byte[][] Adomain { get; set; } = [];

    public byte[] Crid { get; set; } = [];

    public byte[] Cid { get; set; } = [];

    /// <summary>The campaign's own id string, the key its reservation is held under (set by the pipeline, never written out).</summary>
    public string? CampaignId { get; set; }

    public byte[] Seat { get; set; } = [];

    public byte[][] Cat { get; set; } = [];

    public int W { get; set; }

    public int H { get; set; }

    /// <summary>Markup type (2.6): 1 banner, 2 video, 3 audio, 4 native.</summary>
    public int Mtype { get; set; }

    public void Reset()
    {
        Id = 0;
        ImpId = default;
        Price = 0;
        Adm = null;
        Nurl = null;
        AdmParts = null;
        Notices = null;
        NoticeBucket = 0;
        NoticeUser = 0;
        NoticeCurrency = [];
        NoticeValueCpm = 0;
        NoticeFirstPrice = false;
        NoticeModelScored = false;
        DealId = default;
        Adomain = [];
        Crid = [];
        Cid = [];
        CampaignId = null;
        Seat = [];
        Cat = [];
        W = 0;
        H = 0;
        Mtype = 0;
    }
}
