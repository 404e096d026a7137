namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>One way of damaging a request body. Byte-level kinds work on any bytes; the others need the body to still be JSON and do nothing otherwise.</summary>
internal enum MutationKind
{
    BitFlip,
    InsertByte,
    DeleteBytes,
    Truncate,
    DuplicateKey,
    ReorderKeys,
    WrongType,
    HugeNumber,
    InvalidUtf8,
    DeepNesting,
    LongString,
}
