namespace BidEngine.Core.Notices;

/// <summary>
/// Which notices each bid has had, for as long as its tokens live: what makes a replayed notice
/// count once. <see cref="ReplayWindow"/> keeps it in this process; a fleet's store keeps one window
/// for every node, so that a notice replayed to another node still counts once. Called only from the
/// notice path, which may wait; never from the bid path.
/// </summary>
public interface IReplayWindow
{
    /// <summary>Entries the window can hold (the shared one: as many as the store holds).</summary>
    int Capacity { get; }

    /// <summary>Notices refused because the window had no room for their bid, since start.</summary>
    long FullCount { get; }

    /// <summary>
    /// Marks <paramref name="mark"/> on bid <paramref name="bidId"/> if it is new for that bid, the bid
    /// already has every mark in <paramref name="requires"/> and none in <paramref name="conflicts"/>;
    /// checking and marking are one step (of many senders of one notice, exactly one is <see cref="ReplayMark.Added"/>).
    /// </summary>
    /// <param name="expiresAt">When the bid's tokens expire (Unix seconds): the entry is kept until then.</param>
    /// <param name="now">Unix seconds now.</param>
    /// <param name="before">The bid's marks before this call.</param>
    ReplayMark TryMark(long bidId, NoticeMarks mark, NoticeMarks requires, NoticeMarks conflicts, long expiresAt, long now, out NoticeMarks before);

    /// <summary>
    /// Takes back a mark this process just added, when the effect it stood for could not be made (a
    /// billing the ledger refused): the exchange's retry must then be taken, not answered as a replay.
    /// </summary>
    void Unmark(long bidId, NoticeMarks mark);
}
