namespace BidEngine.Core.Notices;

/// <summary>The notices a bid has had, as bits of one <see cref="ReplayWindow"/> entry.</summary>
[Flags]
public enum NoticeMarks : byte
{
    None = 0,
    Win = 1,
    Billed = 2,
    Loss = 4,
    Click = 8,
}
