using BidEngine.OpenRtb.Text;

namespace BidEngine.OpenRtb.Request;

/// <summary>Regulations in force: 2.6 top-level fields, or their 2.5 <c>regs.ext</c> forms.</summary>
public sealed class Regs : IResettable
{
    public bool Coppa { get; set; }

    /// <summary>1 when GDPR applies, 0 when not, -1 when unknown.</summary>
    public int Gdpr { get; set; } = -1;

    public Utf8Slice UsPrivacy { get; set; }

    public Utf8Slice Gpp { get; set; }

    /// <summary>
    /// <c>regs.gpp_sid</c>: the GPP section ids that apply to this request, one bit per id (bit 1 is
    /// section 1, ...). Ids outside 1..63 are not stored (none is defined). 0 when none were sent.
    /// </summary>
    public ulong GppSid { get; set; }

    /// <summary>True when <c>regs.gpp_sid</c> was sent (an empty list included).</summary>
    public bool HasGppSid { get; set; }

    public void Reset()
    {
        Coppa = false;
        Gdpr = -1;
        UsPrivacy = default;
        Gpp = default;
        GppSid = 0;
        HasGppSid = false;
    }
}
