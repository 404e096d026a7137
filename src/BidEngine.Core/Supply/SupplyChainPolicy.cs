using BidEngine.Core.Traffic;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Supply;

/// <summary>
/// What a supply chain must be to buy through it: the bidder's (<c>Supply:Policy</c>), an exchange's
/// (<c>Exchanges:{name}:SupplyChain</c>, in place of the bidder's) or a campaign's (<c>supplyChain</c>
/// in the campaign file, on top of the others). Every rule off (the default) takes any request,
/// with a chain or without. A chain is judged as the request carries it (<c>source.schain</c> or
/// 2.5's <c>source.ext.schain</c>).
/// </summary>
public sealed class SupplyChainPolicy
{
    /// <summary>Most hops the settings and the campaign file accept (SupplyChain has no limit; chains past a handful are resale farms).</summary>
    public const int MaxHopsLimit = 16;

    /// <summary>A request without a supply chain is refused.</summary>
    public bool RequireChain { get; set; }

    /// <summary>The chain must be complete (<c>complete</c> 1): every seller back to the publisher is in it. Implies a chain.</summary>
    public bool RequireComplete { get; set; }

    /// <summary>Most nodes (hops) in the chain; 0: no limit. Implies a chain when set.</summary>
    public int MaxHops { get; set; }

    /// <summary>Only direct sellers: a complete chain of one node (the publisher's own account at the exchange).</summary>
    public bool DirectOnly { get; set; }

    /// <summary>True when the policy takes any request.</summary>
    public bool AcceptsAll => !RequireChain && !RequireComplete && MaxHops == 0 && !DirectOnly;

    /// <summary>Why the chain does not meet the policy; None when it does. Reads only the parsed chain: 0 B.</summary>
    public TrafficReason Judge(BidRequest request)
    {
        if (AcceptsAll)
        {
            return TrafficReason.None;
        }

        var source = request.Source;
        if (!source.HasSchain)
        {
            return TrafficReason.SchainMissing;
        }

        var nodes = source.Nodes;
        if (source.SchainNodes == 0)
        {
            return TrafficReason.SchainMalformed;
        }

        foreach (var node in nodes)
        {
            if (node.Asi.IsNullOrEmpty || node.Sid.IsNullOrEmpty || node.Hp < 0)
            {
                return TrafficReason.SchainMalformed;
            }
        }

        if ((RequireComplete || DirectOnly) && !source.SchainComplete)
        {
            return TrafficReason.SchainIncomplete;
        }

        if (MaxHops > 0 && source.SchainNodes > MaxHops)
        {
            return TrafficReason.SchainTooManyHops;
        }

        return DirectOnly && source.SchainNodes != 1 ? TrafficReason.SchainNotDirect : TrafficReason.None;
    }

    /// <summary>Problems with the policy, each naming its setting.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (MaxHops is < 0 or > MaxHopsLimit)
        {
            yield return $"{prefix}:MaxHops must be 0 (no limit) or from 1 to {MaxHopsLimit} (found {MaxHops})";
        }
    }
}
