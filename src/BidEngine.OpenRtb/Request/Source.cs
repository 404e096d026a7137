using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

/// <summary>The request's origin: transaction id and supply chain.</summary>
public sealed class Source : IResettable
{
    public Utf8Slice Tid { get; set; }

    /// <summary>True when the request carried a supply chain object.</summary>
    public bool HasSchain { get; set; }

    /// <summary>1 when the chain is complete back to the owner of the site or app.</summary>
    public bool SchainComplete { get; set; }

    /// <summary>Number of nodes (intermediaries) in the supply chain.</summary>
    public int SchainNodes { get; set; }

    public void Reset()
    {
        Tid = default;
        HasSchain = false;
        SchainComplete = false;
        SchainNodes = 0;
    }
}
