using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

/// <summary>
/// One node of <c>source.schain.nodes</c> (SupplyChain 1.0): the advertising system (<c>asi</c>, its
/// domain) and the seller's account in it (<c>sid</c>), and whether the node takes part in payment
/// (<c>hp</c>: 1 yes, 0 no, -1 absent or not 0/1). A plain struct: the list of nodes keeps its capacity.
/// </summary>
public readonly record struct SchainNode(Utf8Slice Asi, Utf8Slice Sid, int Hp);
