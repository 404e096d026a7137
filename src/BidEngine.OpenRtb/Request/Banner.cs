using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class Banner : IResettable
{
    public bool Present { get; set; }

    public int W { get; set; }

    public int H { get; set; }

    /// <summary>Allowed sizes; when empty, <see cref="W"/> × <see cref="H"/> is the only one.</summary>
    public List<Format> Formats { get; } = [];

    /// <summary>Ad position (OpenRTB list 5.4); 0 unknown.</summary>
    public int Pos { get; set; }

    /// <summary>True when the imp allows a creative of exactly <paramref name="w"/> × <paramref name="h"/>.</summary>
    public bool Allows(int w, int h)
    {
        if (Formats.Count == 0)
        {
            return W == w && H == h;
        }

        foreach (var format in Formats)
        {
            if (format.W == w && format.H == h)
            {
                return true;
            }
        }

        return false;
    }

    public void Reset()
    {
        Present = false;
        W = 0;
        H = 0;
        Formats.Clear();
        Pos = 0;
    }
}
