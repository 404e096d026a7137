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

    public byte[]? Adm { get; set; }

    public byte[]? Nurl { get; set; }

    public byte[][] Adomain { get; set; } = [];

    public byte[] Crid { get; set; } = [];

    public byte[] Cid { get; set; } = [];

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
        Adomain = [];
        Crid = [];
        Cid = [];
        Seat = [];
        Cat = [];
        W = 0;
        H = 0;
        Mtype = 0;
    }
}
