using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class User : IResettable
{
    public bool Present { get; set; }

    public Utf8Slice Id { get; set; }

    public Utf8Slice BuyerUid { get; set; }

    /// <summary>Year of birth; 0 when absent.</summary>
    public int Yob { get; set; }

    /// <summary>M, F or O; absent when unknown.</summary>
    public Utf8Slice Gender { get; set; }

    public Geo Geo { get; } = new();

    public void Reset()
    {
        Present = false;
        Id = default;
        BuyerUid = default;
        Yob = 0;
        Gender = default;
        Geo.Reset();
    }
}
