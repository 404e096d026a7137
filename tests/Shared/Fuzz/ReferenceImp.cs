namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>The fields of one imp that the fuzz tests compare, as the slow reference reads them.</summary>
internal sealed class ReferenceImp
{
    public string? Id { get; set; }

    public bool Banner { get; set; }

    public int W { get; set; }

    public int H { get; set; }

    public double BidFloor { get; set; }

    public string? BidFloorCur { get; set; }

    public override string ToString() => $"imp id={Id} banner={Banner} {W}x{H} floor={BidFloor} {BidFloorCur}";
}
