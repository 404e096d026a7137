using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

/// <summary>One impression on offer: at least one of banner, video, native or audio.</summary>
public sealed class Imp : IResettable
{
    public Utf8Slice Id { get; set; }

    public Banner Banner { get; } = new();

    public Video Video { get; } = new();

    public Native Native { get; } = new();

    public Audio Audio { get; } = new();

    public Pmp Pmp { get; } = new();

    /// <summary>Minimum CPM in <see cref="BidFloorCur"/>; 0 when absent.</summary>
    public double BidFloor { get; set; }

    /// <summary>Currency of the floor; absent means USD (OpenRTB default).</summary>
    public Utf8Slice BidFloorCur { get; set; }

    public Utf8Slice TagId { get; set; }

    public bool Instl { get; set; }

    /// <summary>1 when the creative must be served over HTTPS; -1 when unknown.</summary>
    public int Secure { get; set; } = -1;

    public void Reset()
    {
        Id = default;
        Banner.Reset();
        Video.Reset();
        Native.Reset();
        Audio.Reset();
        Pmp.Reset();
        BidFloor = 0;
        BidFloorCur = default;
        TagId = default;
        Instl = false;
        Secure = -1;
    }
}
