namespace BidEngine.Core.Privacy;

/// <summary>A publisher restriction on one purpose for one vendor (TCF v2 core segment, restriction types 0-2).</summary>
public enum TcfRestriction : sbyte
{
    /// <summary>The publisher restricts nothing for this purpose and vendor.</summary>
    None = -1,

    /// <summary>The purpose is flatly not allowed for the vendor.</summary>
    NotAllowed = 0,

    /// <summary>The vendor may rely on consent only.</summary>
    RequireConsent = 1,

    /// <summary>The vendor may rely on legitimate interest only.</summary>
    RequireLegitimateInterest = 2,
}
