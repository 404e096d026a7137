using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

public sealed class User : IResettable
{
    public bool Present { get; set; }

    public Utf8Slice Id { get; set; }

    public Utf8Slice BuyerUid { get; set; }

    /// <summary>Year of birth; 0 when absent.</summary>
    public int Yob { get; set; }

    /// <summary>M, F or O; absent when unknown.</summary>
    public Utf8Slice Gender { get; set; }

    public Geo Geo { get; } = new();

    /// <summary>
    /// The TCF consent string: OpenRTB 2.6 <c>user.consent</c>, or the 2.5 form <c>user.ext.consent</c>
    /// (the 2.6 field wins when both are sent). Absent when neither was sent.
    /// </summary>
    public Utf8Slice Consent { get; set; }

    /// <summary>True while <see cref="Consent"/> came from <c>user.ext.consent</c>: a later 2.6 field replaces it.</summary>
    internal bool ConsentFromExt { get; set; }

    public void Reset()
    {
        Present = false;
        Id = default;
        BuyerUid = default;
        Yob = 0;
        Gender = default;
        Consent = default;
        ConsentFromExt = false;
        Geo.Reset();
    }
}
