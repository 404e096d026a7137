namespace BidEngine.Core.Notices;

/// <summary>
/// What a verified token says about its bid. The ids are spans into the caller's buffer (the
/// decoded token), as UTF-8: nothing is copied or allocated to read them.
/// </summary>
public readonly ref struct NoticeClaims
{
    public NoticeKind Kind { get; init; }

    /// <summary>The bid was made in a first-price auction (OpenRTB <c>at</c> 1): its outcomes teach the shading.</summary>
    public bool FirstPrice { get; init; }

    /// <summary>The bid's CTR came from the model (else from the heuristic): which scorer a billed impression and its click judge.</summary>
    public bool ModelScored { get; init; }

    /// <summary>When the bid was made, Unix seconds.</summary>
    public long IssuedSeconds { get; init; }

    /// <summary>The bid's id, which is its reservation's id in the ledger.</summary>
    public long BidId { get; init; }

    /// <summary>The user key of the request (0: none), for the frequency cap.</summary>
    public ulong User { get; init; }

    /// <summary>The placement bucket key, for the prior CTRs.</summary>
    public long Bucket { get; init; }

    /// <summary>The bid's price, CPM in <see cref="Currency"/>: no clearing price may pass it.</summary>
    public double PriceCpm { get; init; }

    /// <summary>The bid's expected value before shading, CPM in <see cref="Currency"/>.</summary>
    public double ValueCpm { get; init; }

    /// <summary>The bid's currency code (3 ASCII bytes).</summary>
    public ReadOnlySpan<byte> Currency { get; init; }

    public ReadOnlySpan<byte> RequestId { get; init; }

    public ReadOnlySpan<byte> ImpId { get; init; }

    public ReadOnlySpan<byte> CampaignId { get; init; }

    public ReadOnlySpan<byte> CreativeId { get; init; }

    /// <summary>The name of the exchange the bid was made for (its profile judges the notice); empty: the bidder-wide <c>/openrtb2/bid</c>.</summary>
    public ReadOnlySpan<byte> Exchange { get; init; }
}
