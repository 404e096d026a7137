namespace BidEngine.Core.Campaigns;

/// <summary>What kind of slot a creative fills; the numbers are OpenRTB 2.6 <c>bid.mtype</c>.</summary>
public enum CreativeKind
{
    Banner = 1,
    Video = 2,
    Audio = 3,
    Native = 4,
}
