namespace BidEngine.Core.State;

/// <summary>
/// One change of the state that money depends on, as the journal keeps it. A struct with the
/// campaign id by reference (the campaign's own string), so that appending one on the bid path
/// allocates nothing; <see cref="StateRecordKind"/> says which fields mean what.
/// </summary>
public struct StateRecord
{
    public StateRecordKind Kind;
    public string? CampaignId;
    public long BidId;
    public long Amount;
    public long Extra;
    public long UtcTicks;
    public double A;
    public double B;
    public double C;
}
