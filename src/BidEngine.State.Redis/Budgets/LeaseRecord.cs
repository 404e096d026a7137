namespace BidEngine.State.Redis.Budgets;

/// <summary>One bid's hold on this node's slice: its price, the local day it counts against, and its state. 16 B.</summary>
internal struct LeaseRecord
{
    public long AmountNanos;
    public int Day;
    public LeaseRecordState State;
}
