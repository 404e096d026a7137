namespace BidEngine.OpenRtb.Request;

/// <summary>An allowed banner size.</summary>
public readonly record struct Format(int W, int H);
