using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class Video : IResettable
{
    public bool Present { get; set; }

    public int W { get; set; }

    public int H { get; set; }

    public List<Utf8Slice> Mimes { get; } = [];

    public int MinDuration { get; set; }

    /// <summary>Longest creative allowed in seconds; 0 when absent.</summary>
    public int MaxDuration { get; set; }

    /// <summary>2.5 placement type (list 5.9 of 2.5); 0 when absent.</summary>
    public int Placement { get; set; }

    /// <summary>2.6 plcmt (list 7.4 of AdCOM); 0 when absent.</summary>
    public int Plcmt { get; set; }

    public int Pos { get; set; }

    public void Reset()
    {
        Present = false;
        W = 0;
        H = 0;
        Mimes.Clear();
        MinDuration = 0;
        MaxDuration = 0;
        Placement = 0;
        Plcmt = 0;
        Pos = 0;
    }
}
