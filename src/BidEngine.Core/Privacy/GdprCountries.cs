namespace BidEngine.Core.Privacy;

/// <summary>
/// The countries where the bidder assumes GDPR (or its UK and Swiss counterparts, under which the
/// same TCF strings are used) when a request does not signal it: the 27 EU members, the other EEA
/// members (Iceland, Liechtenstein, Norway), the United Kingdom and Switzerland, as ISO 3166-1
/// alpha-3 codes, the form OpenRTB's <c>geo.country</c> takes. Allocates nothing.
/// </summary>
public static class GdprCountries
{
    // Three ASCII letters packed into an int, sorted for a binary search.
    private static readonly int[] Codes = Pack(
        "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
        "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
        "ISL", "LIE", "NOR", "GBR", "CHE");

    /// <summary>How many countries the list holds.</summary>
    public static int Count => Codes.Length;

    /// <summary>Whether <paramref name="alpha3"/> (any letter case) names one of the countries.</summary>
    public static bool Contains(ReadOnlySpan<byte> alpha3)
    {
        if (alpha3.Length != 3)
        {
            return false;
        }

        var key = 0;
        foreach (var b in alpha3)
        {
            var upper = b is >= (byte)'a' and <= (byte)'z' ? b - 32 : b;
            key = (key << 8) | upper;
        }

        return Array.BinarySearch(Codes, key) >= 0;
    }

    private static int[] Pack(params string[] codes)
    {
        var packed = codes.Select(c => (c[0] << 16) | (c[1] << 8) | c[2]).ToArray();
        Array.Sort(packed);
        return packed;
    }
}
