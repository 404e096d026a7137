using System.Text;

namespace BidEngine.Core.Campaigns;

/// <summary>
/// One ad of a campaign. Text the response repeats is kept as UTF-8 so that writing it costs a copy,
/// and only as UTF-8: equal markup of several creatives of one file is one array.
/// </summary>
public sealed class Creative
{
    /// <summary>
    /// Put in a creative's <c>adm</c> where the ad wants the bidder's click notice URL; the response
    /// writer replaces it when notices are on (<c>BidEngine:Notices:BaseUrl</c>).
    /// </summary>
    public const string ClickUrlMacro = "${BIDENGINE_CLICK_URL}";

    private readonly string? _id;

    public Creative(string id, CreativeKind kind, int w, int h, string? adm, string? nurl, IReadOnlyList<string> mimes, int durationSeconds)
        : this(id, kind, w, h, adm, nurl, mimes, durationSeconds, CampaignInterner.Unshared)
    {
        _id = id;
    }

    /// <param name="shared">Where markup, URLs and mimes that other creatives of the file hold alike come from.</param>
    internal Creative(string id, CreativeKind kind, int w, int h, string? adm, string? nurl, IReadOnlyList<string> mimes, int durationSeconds, CampaignInterner shared)
    {
        Kind = kind;
        W = w;
        H = h;
        var mimeList = shared.Strings(mimes);
        Mimes = mimeList;
        DurationSeconds = durationSeconds;
        IdUtf8 = Encoding.UTF8.GetBytes(id);
        AdmUtf8 = adm is null ? null : shared.Utf8(adm);
        AdmPartsUtf8 = adm is not null && adm.Contains(ClickUrlMacro, StringComparison.Ordinal)
            ? adm.Split(ClickUrlMacro).Select(part => shared.Utf8(part)).ToArray()
            : null;
        NurlUtf8 = nurl is null ? null : shared.Utf8(nurl);
        MimesUtf8 = shared.Utf8(mimeList);
    }

    /// <summary>
    /// The creative's id. A loaded creative holds it only as <see cref="IdUtf8"/>, which is what the
    /// bidder writes, and makes the string when asked (tools and tests ask): 58 B a creative less. One
    /// made in code keeps the string it was given.
    /// </summary>
    public string Id => _id ?? Encoding.UTF8.GetString(IdUtf8);

    public CreativeKind Kind { get; }

    public int W { get; }

    public int H { get; }

    /// <summary>
    /// Markup served inline in the bid, when the creative has it. Made from <see cref="AdmUtf8"/> at
    /// each call (tools and tests read it, the request path never): the markup is held once, as UTF-8.
    /// </summary>
    public string? Adm => AdmUtf8 is null ? null : Encoding.UTF8.GetString(AdmUtf8);

    /// <summary>Win notice URL; may carry OpenRTB macros such as <c>${AUCTION_PRICE}</c>. Made from <see cref="NurlUtf8"/> at each call.</summary>
    public string? Nurl => NurlUtf8 is null ? null : Encoding.UTF8.GetString(NurlUtf8);

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
