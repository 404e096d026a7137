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

    public void Reset()
    {
        Coppa = false;
        Gdpr = -1;
        UsPrivacy = default;
        Gpp = default;
    }
}
