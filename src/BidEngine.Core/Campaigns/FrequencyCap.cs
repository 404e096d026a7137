namespace BidEngine.Core.Campaigns;

/// <summary>
/// At most <see cref="Impressions"/> billed impressions per user within <see cref="WindowSeconds"/>
/// (campaign file: <c>frequencyCap</c>). Impressions are 1..255: the table counts them in bytes.
/// </summary>
public sealed record FrequencyCap(int Impressions, int WindowSeconds, UnknownUserPolicy UnknownUsers = UnknownUserPolicy.Bid)
{
    public const int MaxImpressions = 255;

    /// <summary>Thirty days: longer windows would be remembered in seconds-wide buckets for longer than the table keeps anyone.</summary>
    public const int MaxWindowSeconds = 30 * 86_400;
}
