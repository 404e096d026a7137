namespace BidEngine.Core.Exchanges;

/// <summary>When an exchange's kill switch trips and how it recovers; part of each exchange profile.</summary>
public sealed class ExchangeHealthOptions
{
    /// <summary>
    /// Share of answers that were late or errors, over the window, at which the switch trips. Exchanges
    /// throttle a bidder at about 15%; tripping at 10% sheds before they do.
    /// </summary>
    public double TripShare { get; set; } = 0.10;

    /// <summary>Seconds of answers the share is taken over (one bucket per second).</summary>
    public int WindowSeconds { get; set; } = 10;

    /// <summary>Fewest answers in the window before the share is trusted: a few early errors must not trip it.</summary>
    public int MinAnswers { get; set; } = 200;

    /// <summary>Seconds the tripped switch sheds everything before probing.</summary>
    public int CoolDownSeconds { get; set; } = 15;

    /// <summary>Share of requests served while probing; the rest are still shed.</summary>
    public double ProbeShare { get; set; } = 0.25;

    /// <summary>Seconds of probing under the threshold before the switch closes (serving everything again).</summary>
    public int ProbeSeconds { get; set; } = 10;

    public IEnumerable<string> Validate(string prefix)
    {
        if (!double.IsFinite(TripShare) || TripShare is <= 0 or >= 1)
        {
            yield return $"{prefix}:TripShare must be above 0 and below 1";
        }

        if (WindowSeconds is < 2 or > 300)
        {
            yield return $"{prefix}:WindowSeconds must be between 2 and 300";
        }

        if (MinAnswers is < 1 or > 10_000_000)
        {
            yield return $"{prefix}:MinAnswers must be between 1 and 10000000";
        }

        if (CoolDownSeconds is < 1 or > 3600)
        {
            yield return $"{prefix}:CoolDownSeconds must be between 1 and 3600";
        }

        if (!double.IsFinite(ProbeShare) || ProbeShare is <= 0 or > 1)
        {
            yield return $"{prefix}:ProbeShare must be above 0 and at most 1";
        }

        if (ProbeSeconds is < 1 or > 3600)
        {
            yield return $"{prefix}:ProbeSeconds must be between 1 and 3600";
        }
    }
}
