namespace BidEngine.Core.Privacy;

/// <summary>How a request that says nothing about GDPR is read (<see cref="PrivacyOptions.GdprWhenUnsignalled"/>).</summary>
public enum UnsignalledGdpr
{
    /// <summary>GDPR applies only where the request says so.</summary>
    DoesNotApply,

    /// <summary>GDPR also applies when the request's country is in the EEA, the UK or Switzerland.</summary>
    AppliesInEea,
}
