using System.Text;

namespace BidEngine.Core.Campaigns;

/// <summary>One ad of a campaign. Text the response repeats is kept as UTF-8 so that writing it costs a copy.</summary>
public sealed class Creative
{
    /// <summary>
    /// Put in a creative's <c>adm</c> where the ad wants the bidder's click notice URL; the response
    /// writer replaces it when notices are on (<c>BidEngine:Notices:BaseUrl</c>).
    /// </summary>
    public const string ClickUrlMacro = "${BIDENGINE_CLICK_URL}";

    public Creative(string id, CreativeKind kind, int w, int h, string? adm, string? nurl, IReadOnlyList<string> mimes, int durationSeconds)
    {
        Id = id;
        Kind = kind;
        W = w;
        H = h;
        Adm = adm;
        Nurl = nurl;
        Mimes = mimes;
        DurationSeconds = durationSeconds;
        IdUtf8 = Encoding.UTF8.GetBytes(id);
        AdmUtf8 = adm is null ? null : Encoding.UTF8.GetBytes(adm);
        AdmPartsUtf8 = adm is not null && adm.Contains(ClickUrlMacro, StringComparison.Ordinal)
            ? adm.Split(ClickUrlMacro).Select(Encoding.UTF8.GetBytes).ToArray()
            : null;
        NurlUtf8 = nurl is null ? null : Encoding.UTF8.GetBytes(nurl);
        MimesUtf8 = mimes.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public string Id { get; }

    public CreativeKind Kind { get; }

    public int W { get; }

    public int H { get; }

    /// <summary>Markup served inline in the bid, when the creative has it.</summary>
    public string? Adm { get; }

    /// <summary>Win notice URL; may carry OpenRTB macros such as <c>${AUCTION_PRICE}</c>.</summary>
    public string? Nurl { get; }

    /// <summary>Content types of a video or audio creative, for example video/mp4.</summary>
    public IReadOnlyList<string> Mimes { get; }

    public int DurationSeconds { get; }

    public byte[] IdUtf8 { get; }

    public byte[]? AdmUtf8 { get; }

    public byte[]? NurlUtf8 { get; }

    /// <summary>
    /// The markup split at every <see cref="ClickUrlMacro"/>, once, when the campaign loads: the
    /// writer puts the click URL between the parts. Null when the markup has no such macro.
    /// </summary>
    public byte[][]? AdmPartsUtf8 { get; }

    public byte[][] MimesUtf8 { get; }
}
