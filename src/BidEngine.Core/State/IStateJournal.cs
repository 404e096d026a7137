namespace BidEngine.Core.State;

/// <summary>
/// Where the in-process state (ledger, replay window, frequency counts, outcome counts, shading)
/// reports each change it made, so that it can be made again after a restart. Appending never
/// waits on a disk: the journal writes in the background and says when a change is durable.
/// </summary>
public interface IStateJournal
{
    /// <summary>Queues <paramref name="record"/>; never blocks on I/O, never allocates on the common path.</summary>
    void Append(in StateRecord record);
}
