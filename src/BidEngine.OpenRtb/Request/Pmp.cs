using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

/// <summary>Private marketplace: deals offered on an imp.</summary>
public sealed class Pmp : IResettable
{
    public bool Present { get; set; }

    public bool PrivateAuction { get; set; }

    public ReusableList<Deal> Deals { get; } = new();

    public void Reset()
    {
        Present = false;
        PrivateAuction = false;
        Deals.Clear();
    }
}
