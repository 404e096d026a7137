namespace BidEngine.OpenRtb.Parsing;

/// <summary>Caps that keep hostile input from costing more than a real request.</summary>
public sealed record ParserLimits
{
    public static ParserLimits Default { get; } = new();

    /// <summary>Deepest JSON nesting accepted. Real 2.6 requests nest 6 to 8 levels (imp.pmp.deals.ext...).</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most imps in one request; exchanges send 1 to a few dozen.</summary>
    public int MaxImps { get; init; } = 64;

    /// <summary>Most items kept from any one array (formats, deals, bcat, ...); extra items are refused.</summary>
    public int MaxArrayItems { get; init; } = 512;
}
