namespace BidEngine.OpenRtb.Parsing;

/// <summary>Raised inside the parser on input it refuses; caught by <see cref="BidRequestParser.Parse"/> and never seen outside.</summary>
internal sealed class BadRequestException(BidRequestError error, string? field, string message) : Exception(message)
{
    public BidRequestError Error { get; } = error;

    public string? Field { get; } = field;
}
