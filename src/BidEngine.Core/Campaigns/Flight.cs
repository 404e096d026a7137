namespace BidEngine.Core.Campaigns;

/// <summary>When a campaign runs (campaign file: <c>flight</c>): from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive); null is open.</summary>
public sealed record Flight(DateTimeOffset? Start, DateTimeOffset? End)
{
    public static Flight Always { get; } = new(null, null);

    public bool IsOn(DateTimeOffset now) => (Start is not { } s || now >= s) && (End is not { } e || now < e);
}
