namespace BidEngine.OpenRtb.Parsing;

/// <summary>The outcome of parsing one body: success, or the error, the field it is about and a readable message.</summary>
public readonly struct ParseResult
{
    private ParseResult(BidRequestError error, string? field, string message)
    {
        Error = error;
        Field = field;
        Message = message;
    }

    public static ParseResult Success => default;

    public bool IsSuccess => Error == BidRequestError.None;

    public BidRequestError Error { get; }

    /// <summary>The JSON path of the offending field, for example <c>imp[].banner.w</c>; null when the whole body is at fault.</summary>
    public string? Field { get; }

    public string Message { get; }

    public static ParseResult Fail(BidRequestError error, string? field, string message) => new(error, field, message);

    /// <summary>The short snake_case code sent to the exchange, for example <c>wrong_type</c>.</summary>
    public string Code => Error switch
    {
        BidRequestError.None => "ok",
        BidRequestError.NotJson => "not_json",
        BidRequestError.NotAnObject => "not_an_object",
        BidRequestError.TooDeep => "too_deep",
        BidRequestError.MissingId => "missing_id",
        BidRequestError.MissingImp => "missing_imp",
        BidRequestError.ImpWithoutId => "imp_without_id",
        BidRequestError.DuplicateImpId => "duplicate_imp_id",
        BidRequestError.WrongType => "wrong_type",
        BidRequestError.TooManyItems => "too_many_items",
        BidRequestError.TooLarge => "too_large",
        _ => "bad_request",
    };
}
