using BidEngine.OpenRtb.Request;

namespace BidEngine.Core.Privacy;

/// <summary>
/// The privacy step: reads every privacy signal of a request once (GDPR with its TC string, GPP,
/// US Privacy, COPPA, LMT), decides one <see cref="PrivacyDecision"/>, and redacts the request to
/// match before anything else reads it (<see cref="PrivacyRedaction"/>): candidates, features,
/// frequency caps, notices and the bid log then see only what may be used. Rules:
/// <list type="bullet">
/// <item>GDPR applies when <c>regs.gdpr</c> is 1 or <c>regs.gpp_sid</c> lists section 2, and, with
/// <c>Privacy:GdprWhenUnsignalled</c> <c>AppliesInEea</c>, when <c>regs.gdpr</c> is absent and the
/// request's country is in the EEA, the UK or Switzerland (<see cref="GdprCountries"/>). The TC
/// string is <c>user.consent</c> (2.5: <c>user.ext.consent</c>), else GPP section 2. Missing,
/// unreadable, a v2.3 string without disclosed vendors, or no legal basis for Purpose 2: no bid.
/// No consent for Purposes 1, 3 or 4: no user data. No Special Feature 1: no precise geo.</item>
/// <item>US: a US Privacy string opted out of sale, or a GPP US section (6-27) that applies with a
/// sale, sharing or targeted-advertising opt-out (or that does not decode): no user data.</item>
/// <item>COPPA or LMT: no user data and no precise geo.</item>
/// </list>
/// Allocates nothing; counts each outcome and reason for <c>/metrics</c>.
/// </summary>
public sealed class ConsentEngine
{
    private const int Purpose1Storage = 1;
    private const int Purpose2BasicAds = 2;
    private const int Purpose3Profile = 3;
    private const int Purpose4Selection = 4;
    private const int SpecialFeature1PreciseGeo = 1;

    private readonly int _vendorId;
    private readonly bool _gdprInEeaWhenUnsignalled;
    private readonly long[] _outcomes = new long[Enum.GetValues<PrivacyOutcome>().Length];
    private readonly long[] _reasons = new long[256];

    public ConsentEngine(PrivacyOptions options)
    {
        _vendorId = options.VendorId;
        _gdprInEeaWhenUnsignalled = options.GdprWhenUnsignalled == UnsignalledGdpr.AppliesInEea;
    }

    /// <summary>Our GVL vendor id; 0 when none is set.</summary>
    public int VendorId => _vendorId;

    /// <summary>Decides, redacts the request to match and counts: the pipeline's one call.</summary>
    public PrivacyDecision Apply(BidRequest request)
    {
        var decision = Decide(request);
        PrivacyRedaction.Apply(request, decision);
        Interlocked.Increment(ref _outcomes[(int)decision.Outcome]);
        Interlocked.Increment(ref _reasons[(int)decision.Reason]);
        return decision;
    }

    /// <summary>Requests decided with <paramref name="outcome"/> since start.</summary>
    public long Count(PrivacyOutcome outcome) => Interlocked.Read(ref _outcomes[(int)outcome]);

    /// <summary>Requests decided for <paramref name="reason"/> since start.</summary>
    public long Count(PrivacyReason reason) => Interlocked.Read(ref _reasons[(int)reason]);

    /// <summary>The decision alone, without touching the request or the counts.</summary>
    public PrivacyDecision Decide(BidRequest request)
    {
        var regs = request.Regs;
        var noUser = PrivacyReason.None;
        var noGeo = PrivacyReason.None;

        if (regs.Coppa)
        {
            noUser = noGeo = PrivacyReason.Coppa;
        }
        else if (request.Device.Present && request.Device.Lmt)
        {
            noUser = noGeo = PrivacyReason.LimitAdTracking;
        }

        var gpp = request[regs.Gpp];
        var gppIds = 0UL;
        var gppRead = !gpp.IsEmpty && GppString.TryReadSectionIds(gpp, out gppIds);

        // Sections that apply: the ones regs.gpp_sid names, else every one the string carries.
        var applicable = regs.HasGppSid ? regs.GppSid : gppIds;

        var signalled = regs.Gdpr == 1 || (applicable & (1UL << GppString.TcfEuV2)) != 0;
        var byCountry = !signalled && regs.Gdpr == -1 && _gdprInEeaWhenUnsignalled && GdprCountries.Contains(request[request.Geo.Country]);
        if (signalled || byCountry)
        {
            var noBid = Gdpr(request, gpp, gppIds, ref noUser, ref noGeo);
            if (noBid == PrivacyReason.ConsentMissing && byCountry)
            {
                noBid = PrivacyReason.ConsentMissingInEea;
            }

            if (noBid != PrivacyReason.None)
            {
                return new PrivacyDecision(PrivacyOutcome.NoBid, false, noBid);
            }
        }

        if (noUser == PrivacyReason.None && UsPrivacyString.TryRead(request[regs.UsPrivacy], out var optedOut) && optedOut)
        {
            noUser = PrivacyReason.UsPrivacyOptOut;
        }

        if (noUser == PrivacyReason.None && !gpp.IsEmpty)
        {
            noUser = UsSections(gpp, gppRead, gppIds, applicable, regs.HasGppSid);
        }

        if (noUser != PrivacyReason.None)
        {
            return new PrivacyDecision(PrivacyOutcome.NoUserData, false, noUser);
        }

        return noGeo != PrivacyReason.None
            ? new PrivacyDecision(PrivacyOutcome.Full, false, noGeo)
            : PrivacyDecision.Unrestricted;
    }

    /// <summary>The TCF rules; returns the no-bid reason, or None with the lesser limits set.</summary>
    private PrivacyReason Gdpr(BidRequest request, ReadOnlySpan<byte> gpp, ulong gppIds, ref PrivacyReason noUser, ref PrivacyReason noGeo)
    {
        var user = request.User;
        var text = user.Consent.HasValue ? request[user.Consent] : default;
        if (text.IsEmpty && !GppString.TryGetSection(gpp, gppIds, GppString.TcfEuV2, out text))
        {
            return PrivacyReason.ConsentMissing;
        }

        var status = TcfDecoder.Decode(text, _vendorId, out var tcf);
        if (status == TcfStatus.MissingDisclosedVendors)
        {
            return PrivacyReason.DisclosedVendorsMissing;
        }

        if (status != TcfStatus.Valid)
        {
            return PrivacyReason.ConsentUnreadable;
        }

        if (!tcf.HasLegalBasis(Purpose2BasicAds))
        {
            return PrivacyReason.NoBasicAdsBasis;
        }

        if (noUser == PrivacyReason.None
            && !(tcf.HasConsentBasis(Purpose1Storage) && tcf.HasConsentBasis(Purpose3Profile) && tcf.HasConsentBasis(Purpose4Selection)))
        {
            noUser = PrivacyReason.NoPersonalisationConsent;
        }

        if (noGeo == PrivacyReason.None
            && !(tcf.HasSpecialFeatureOptIn(SpecialFeature1PreciseGeo) && (_vendorId == 0 || tcf.VendorConsent)))
        {
            noGeo = PrivacyReason.NoPreciseGeoConsent;
        }

        return PrivacyReason.None;
    }

    /// <summary>The US sections of a GPP string that apply: any opt-out, or one that does not decode, means no user data.</summary>
    private static PrivacyReason UsSections(ReadOnlySpan<byte> gpp, bool headerRead, ulong ids, ulong applicable, bool sidGiven)
    {
        if (!headerRead)
        {
            // A header that does not decode: honoured as an opt-out unless gpp_sid says no US section applies.
            return !sidGiven || (applicable & GppString.UsSections) != 0 ? PrivacyReason.GppUnreadable : PrivacyReason.None;
        }

        var us = applicable & ids & GppString.UsSections;
        while (us != 0)
        {
            var id = System.Numerics.BitOperations.TrailingZeroCount(us);
            us &= us - 1;
            if (!GppString.TryGetSection(gpp, ids, id, out var section) || !GppString.TryReadUsOptOuts(section, id, out var optOuts))
            {
                return PrivacyReason.GppUnreadable;
            }

            if (optOuts != UsOptOuts.None)
            {
                return PrivacyReason.GppOptOut;
            }
        }

        return PrivacyReason.None;
    }
}
