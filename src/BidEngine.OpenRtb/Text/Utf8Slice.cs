namespace BidEngine.OpenRtb.Text;

/// <summary>
/// A string value of a parsed request: a range in the request's <see cref="TextArena"/>.
/// The default value means "absent", which is different from a present empty string.
/// </summary>
public readonly struct Utf8Slice : IEquatable<Utf8Slice>
{
    // Start is stored plus one so that default(Utf8Slice) reads as absent.
    private readonly int _startPlusOne;

    internal Utf8Slice(int start, int length)
    {
        _startPlusOne = start + 1;
        Length = length;
    }

    public int Start => _startPlusOne - 1;

    public int Length { get; }

    public bool HasValue => _startPlusOne != 0;

    public bool IsNullOrEmpty => Length == 0;

    public bool Equals(Utf8Slice other) => _startPlusOne == other._startPlusOne && Length == other.Length;

    public override bool Equals(object? obj) => obj is Utf8Slice other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_startPlusOne, Length);

    public static bool operator ==(Utf8Slice left, Utf8Slice right) => left.Equals(right);

    public static bool operator !=(Utf8Slice left, Utf8Slice right) => !left.Equals(right);
}
