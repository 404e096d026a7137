namespace BidEngine.Core.State;

/// <summary>Says when the state's changes so far are durable: a notice is answered only after its change is (the embedded state's journal).</summary>
public interface IDurability
{
    /// <summary>Completes once everything changed before the call is on disk; faults if it could not be written.</summary>
    Task WhenDurableAsync();
}
