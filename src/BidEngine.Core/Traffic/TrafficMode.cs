namespace BidEngine.Core.Traffic;

/// <summary>What a traffic or supply check does with a request it would refuse.</summary>
public enum TrafficMode : byte
{
    /// <summary>Not run at all.</summary>
    Off = 0,

    /// <summary>Run, counted and logged as it would refuse; the request still bids. To see a check's cost before turning it on.</summary>
    ReportOnly = 1,

    /// <summary>Run; a request it refuses gets no bid, with the check's <c>nbr</c>.</summary>
    On = 2,
}
