using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class Deal : IResettable
{
    public Utf8Slice Id { get; set; }

    public double BidFloor { get; set; }

    public Utf8Slice BidFloorCur { get; set; }

    public int AuctionType { get; set; }

    public List<Utf8Slice> Wseat { get; } = [];

    public List<Utf8Slice> Wadomain { get; } = [];

    public void Reset()
    {
        Id = default;
        BidFloor = 0;
        BidFloorCur = default;
        AuctionType = 0;
        Wseat.Clear();
        Wadomain.Clear();
    }
}
