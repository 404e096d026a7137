namespace BidEngine.Core.Traffic;

/// <summary>What <see cref="IpText.TryParse"/> found.</summary>
public enum IpFamily : byte
{
    /// <summary>Not an address (or not one written the strict way).</summary>
    None = 0,

    V4 = 4,

    V6 = 6,
}
