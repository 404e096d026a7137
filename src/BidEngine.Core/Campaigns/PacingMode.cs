namespace BidEngine.Core.Campaigns;

/// <summary>How a campaign spreads its daily budget (campaign file: <c>pacing</c>).</summary>
public enum PacingMode
{
    /// <summary>Spread over the day in the campaign's time zone (the default).</summary>
    Even,

    /// <summary>Spend as fast as the traffic allows, until the budget is gone.</summary>
    Asap,
}
