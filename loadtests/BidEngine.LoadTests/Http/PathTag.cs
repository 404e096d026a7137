namespace BidEngine.LoadTests.Http;

/// <summary>Values of the x-bidengine-path response header (sent by the bidder in debug mode).</summary>
public enum PathTag
{
    Absent = 0,
    Model,
    Heuristic,
    None,
    Other,
    Shed,
    NoCandidates,
}

public static class PathTags
{
    public static PathTag Parse(ReadOnlySpan<byte> value)
    {
        value = value[System.Text.Ascii.Trim(value)];
        if (System.Text.Ascii.EqualsIgnoreCase(value, "model"u8))
        {
            return PathTag.Model;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(value, "heuristic"u8))
        {
            return PathTag.Heuristic;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(value, "shed"u8))
        {
            return PathTag.Shed;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(value, "no-candidates"u8))
        {
            return PathTag.NoCandidates;
        }

        return System.Text.Ascii.EqualsIgnoreCase(value, "none"u8) ? PathTag.None : PathTag.Other;
    }

    public static string Name(PathTag tag) => tag switch
    {
        PathTag.Model => "model",
        PathTag.Heuristic => "heuristic",
        PathTag.None => "none",
        PathTag.Other => "other",
        PathTag.Shed => "shed",
        PathTag.NoCandidates => "no-candidates",
        _ => "absent",
    };
}
