using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class Native : IResettable
{
    public bool Present { get; set; }

    /// <summary>The native markup request as the exchange sent it (a JSON string).</summary>
    public Utf8Slice Request { get; set; }

    public Utf8Slice Ver { get; set; }

    public void Reset()
    {
        Present = false;
        Request = default;
        Ver = default;
    }
}
