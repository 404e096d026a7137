using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class Audio : IResettable
{
    public bool Present { get; set; }

    public List<Utf8Slice> Mimes { get; } = [];

    public int MinDuration { get; set; }

    public int MaxDuration { get; set; }

    public void Reset()
    {
        Present = false;
        Mimes.Clear();
        MinDuration = 0;
        MaxDuration = 0;
    }
}
