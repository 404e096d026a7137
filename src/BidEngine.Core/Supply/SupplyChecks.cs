using BidEngine.Core.Traffic;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Supply;

/// <summary>
/// Who sells the request, checked against what the sellers and the publisher published: each schain
/// node against its system's sellers.json, and the seller the exchange names against the site's
/// ads.txt (the app's app-ads.txt). Reads the parsed request's bytes; lower-cases domains into a
/// stack buffer; 0 B per request.
/// </summary>
public static class SupplyChecks
{
    /// <summary>Longest domain name (RFC 1035); a longer <c>asi</c> or site domain is no domain.</summary>
    private const int MaxDomainBytes = 253;

    private enum Place : byte
    {
        /// <summary>No chain, or the first node of an incomplete one: either kind of seller.</summary>
        Unknown,

        /// <summary>The first node of a complete chain: the publisher's own account.</summary>
        First,

        /// <summary>A later node that takes part in payment: an intermediary's account.</summary>
        Later,
    }

    /// <summary>
    /// Every node of the chain (or, without one, the publisher's id at the exchange) must be in its
    /// system's sellers.json, with a <c>seller_type</c> that fits its place (IAB sellers.json 1.0 with
    /// SupplyChain 1.0: the first node of a complete chain is PUBLISHER or BOTH, a later paying node
    /// INTERMEDIARY or BOTH; a node with <c>hp</c> 0 takes no part in payment and is not typed).
    /// A system without a file is skipped, or refuses the request when <paramref name="bidWhenFileMissing"/> is false.
    /// </summary>
    /// <param name="exchangeDomain">The exchange's own domain (lower case) from its profile; empty when unknown.</param>
    public static TrafficReason Sellers(BidRequest request, SellersDirectory sellers, ReadOnlySpan<byte> exchangeDomain, bool bidWhenFileMissing, bool refuseConfidential)
    {
        Span<byte> domain = stackalloc byte[MaxDomainBytes];
        var source = request.Source;
        var nodes = source.Nodes;
        if (!source.HasSchain || nodes.Count == 0)
        {
            var publisher = request[request.PublisherId];
            return exchangeDomain.IsEmpty || publisher.IsEmpty
                ? TrafficReason.None
                : One(sellers, exchangeDomain, publisher, Place.Unknown, bidWhenFileMissing, refuseConfidential);
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var length = Lower(request[node.Asi], domain);
            var sid = request[node.Sid];
            if (length <= 0 || sid.IsEmpty)
            {
                return TrafficReason.SellerNotListed;
            }

            var place = i == 0 ? (source.SchainComplete ? Place.First : Place.Unknown) : (node.Hp == 0 ? Place.Unknown : Place.Later);
            var reason = One(sellers, domain[..length], sid, place, bidWhenFileMissing, refuseConfidential);
            if (reason != TrafficReason.None)
            {
                return reason;
            }
        }

        return TrafficReason.None;
    }

    private static TrafficReason One(SellersDirectory sellers, ReadOnlySpan<byte> domain, ReadOnlySpan<byte> sellerId, Place place, bool bidWhenFileMissing, bool refuseConfidential)
    {
        if (!sellers.TryGet(domain, sellerId, out var seller))
        {
            return sellers.HasSystem(domain) ? TrafficReason.SellerNotListed
                : bidWhenFileMissing ? TrafficReason.None
                : TrafficReason.SellersFileMissing;
        }

        if (refuseConfidential && seller.Confidential)
        {
            return TrafficReason.SellerConfidential;
        }

        var fits = place switch
        {
            Place.First => (seller.Type & SellerType.Publisher) != 0,
            Place.Later => (seller.Type & SellerType.Intermediary) != 0,
            _ => true,
        };
        return fits ? TrafficReason.None : TrafficReason.SellerTypeMismatch;
    }

    /// <summary>
    /// The seller the exchange names must be authorised by the publisher's file: the chain's last node
    /// (the exchange's own node: its <c>asi</c> and the <c>sid</c> of its seller), or without a chain
    /// the exchange's domain and <c>publisher.id</c>. The relationship must match what the seller is:
    /// its sellers.json type when known (PUBLISHER: DIRECT, INTERMEDIARY: RESELLER, BOTH: either),
    /// else its place (a complete chain of one node: DIRECT; a later node: RESELLER; otherwise either).
    /// A site's file is looked up by its domain (<c>site.domain</c>, else the host of <c>site.page</c>),
    /// then by each parent domain (www.news.example, news.example); an app's by its bundle.
    /// </summary>
    public static TrafficReason AdsTxt(BidRequest request, AdsTxtDirectory files, SellersDirectory sellers, ReadOnlySpan<byte> exchangeDomain, bool bidWhenFileMissing)
    {
        var missing = bidWhenFileMissing ? TrafficReason.None : TrafficReason.AdsTxtFileMissing;
        if (!TryFindFile(request, files, out var file))
        {
            return missing;
        }

        Span<byte> system = stackalloc byte[MaxDomainBytes];
        ReadOnlySpan<byte> account;
        int systemLength;
        var required = AdsTxtRelationship.Direct | AdsTxtRelationship.Reseller;
        var source = request.Source;
        if (source.HasSchain && source.Nodes.Count > 0)
        {
            // A chain longer than the nodes kept hides its last seller: as good as naming none.
            var last = source.SchainNodes == source.Nodes.Count ? source.Nodes[^1] : default;
            systemLength = Lower(request[last.Asi], system);
            account = request[last.Sid];
            required = source.SchainNodes > 1 ? AdsTxtRelationship.Reseller
                : source.SchainComplete ? AdsTxtRelationship.Direct
                : required;
        }
        else
        {
            systemLength = exchangeDomain.Length;
            exchangeDomain.CopyTo(system);
            account = request[request.PublisherId];
        }

        if (systemLength <= 0 || account.IsEmpty)
        {
            return bidWhenFileMissing ? TrafficReason.None : TrafficReason.AdsTxtNoSeller;
        }

        var name = system[..systemLength];
        if (sellers.TryGet(name, account, out var seller) && seller.Type != SellerType.Unknown)
        {
            required = (seller.Type & SellerType.Publisher) != 0 ? AdsTxtRelationship.Direct : AdsTxtRelationship.None;
            required |= (seller.Type & SellerType.Intermediary) != 0 ? AdsTxtRelationship.Reseller : AdsTxtRelationship.None;
        }

        var listed = file.Lists(name, account);
        return listed == AdsTxtRelationship.None ? TrafficReason.AdsTxtNotListed
            : (listed & required) == 0 ? TrafficReason.AdsTxtWrongRelationship
            : TrafficReason.None;
    }

    private static bool TryFindFile(BidRequest request, AdsTxtDirectory files, out AdsTxtFile file)
    {
        Span<byte> name = stackalloc byte[MaxDomainBytes];
        file = default;
        if (request.App.Present)
        {
            var bundle = Lower(request[request.App.Bundle], name);
            return bundle > 0 && files.TryGetFile(app: true, name[..bundle], out file);
        }

        if (!request.Site.Present)
        {
            return false;
        }

        var text = request[request.Site.Domain];
        if (text.IsEmpty)
        {
            text = Host(request[request.Site.Page]);
        }

        var length = Lower(text, name);
        if (length <= 0)
        {
            return false;
        }

        // The domain, then each parent while two labels are left: www.news.example, news.example.
        var domain = name[..length];
        while (true)
        {
            if (files.TryGetFile(app: false, domain, out file))
            {
                return true;
            }

            var dot = domain.IndexOf((byte)'.');
            if (dot < 0 || domain[(dot + 1)..].IndexOf((byte)'.') < 0)
            {
                return false;
            }

            domain = domain[(dot + 1)..];
        }
    }

    /// <summary>The host of a URL: between "//" and the next '/', ':', '?' or '#'.</summary>
    private static ReadOnlySpan<byte> Host(ReadOnlySpan<byte> url)
    {
        var scheme = url.IndexOf("//"u8);
        if (scheme < 0)
        {
            return default;
        }

        var host = url[(scheme + 2)..];
        var end = host.IndexOfAny("/:?#"u8);
        return end < 0 ? host : host[..end];
    }

    /// <summary>ASCII lower case of <paramref name="text"/> into <paramref name="into"/>; 0 when empty, -1 when too long.</summary>
    private static int Lower(ReadOnlySpan<byte> text, Span<byte> into)
    {
        if (text.Length > into.Length)
        {
            return -1;
        }

        return System.Text.Ascii.ToLower(text, into, out var written) == System.Buffers.OperationStatus.Done ? written : -1;
    }

    /// <summary>The exchange's domain as the checks compare it (lower case); empty for none.</summary>
    public static byte[] DomainBytes(string? domain) => string.IsNullOrWhiteSpace(domain) ? [] : System.Text.Encoding.UTF8.GetBytes(domain.Trim().ToLowerInvariant());
}
