namespace BidEngine.Core.Privacy;

/// <summary>
/// The IAB US Privacy string (CCPA), four characters: version <c>1</c>, notice given, opted out of
/// sale, LSPA covered, each <c>Y</c>, <c>N</c> or <c>-</c> (not applicable). <c>1YYN</c>: notice
/// given, opted out of sale. Also GPP section 6 (uspv1), which carries the same four characters.
/// </summary>
public static class UsPrivacyString
{
    /// <summary>False when <paramref name="text"/> is not a version-1 string; else whether the user opted out of sale.</summary>
    public static bool TryRead(ReadOnlySpan<byte> text, out bool optedOutOfSale)
    {
        optedOutOfSale = false;
        if (text.Length != 4 || text[0] != (byte)'1' || !IsFlag(text[1]) || !IsFlag(text[2]) || !IsFlag(text[3]))
        {
            return false;
        }

        optedOutOfSale = (text[2] | 0x20) == 'y';
        return true;
    }

    private static bool IsFlag(byte c) => c is (byte)'Y' or (byte)'N' or (byte)'y' or (byte)'n' or (byte)'-';
}
