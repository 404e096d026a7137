namespace BidEngine.Core.Events;

/// <summary>
/// What joins an outcome (win, bill, loss, click) to its bid: request id, imp id, and the campaign
/// and creative that bid. Spans, so a notice endpoint passes what it parsed without a string per field.
/// </summary>
public readonly ref struct OutcomeKeys(ReadOnlySpan<char> requestId, ReadOnlySpan<char> impId, ReadOnlySpan<char> campaignId, ReadOnlySpan<char> creativeId)
{
    public ReadOnlySpan<char> RequestId { get; } = requestId;

    public ReadOnlySpan<char> ImpId { get; } = impId;

    public ReadOnlySpan<char> CampaignId { get; } = campaignId;

    public ReadOnlySpan<char> CreativeId { get; } = creativeId;
}
