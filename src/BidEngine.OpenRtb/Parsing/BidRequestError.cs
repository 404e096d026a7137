namespace BidEngine.OpenRtb.Parsing;

/// <summary>Why a request body was refused. Each maps to a 400 (or 413) with a short JSON reason.</summary>
public enum BidRequestError
{
    None = 0,
    NotJson,
    NotAnObject,
    TooDeep,
    MissingId,
    MissingImp,
    ImpWithoutId,
    DuplicateImpId,
    WrongType,
    TooManyItems,

    /// <summary>The body (after decompression) is larger than accepted: a 413, not a 400.</summary>
    TooLarge,
}
