using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

/// <summary>The request's origin: transaction id and supply chain.</summary>
public sealed class Source : IResettable
{
    /// <summary>Nodes kept from one chain; a longer chain is counted in <see cref="SchainNodes"/> but its extra nodes are not kept.</summary>
    public const int MaxKeptNodes = 16;

    public Utf8Slice Tid { get; set; }

    /// <summary>True when the request carried a supply chain object.</summary>
    public bool HasSchain { get; set; }

    /// <summary>1 when the chain is complete back to the owner of the site or app.</summary>
    public bool SchainComplete { get; set; }

    /// <summary>Number of nodes (intermediaries) in the supply chain, all of them, kept or not.</summary>
    public int SchainNodes { get; set; }

    /// <summary>
    /// The chain's first <see cref="MaxKeptNodes"/> nodes, in order (the seller nearest the publisher
    /// first). A node that is not an object is kept with nothing in it, so positions stay true.
    /// </summary>
    public List<SchainNode> Nodes { get; } = new(4);

    public void Reset()
    {
        Tid = default;
        HasSchain = false;
        SchainComplete = false;
        SchainNodes = 0;
        Nodes.Clear();
    }
}
