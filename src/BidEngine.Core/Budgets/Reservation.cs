namespace BidEngine.Core.Budgets;

/// <summary>One bid's hold on a budget: its price, the local day it counts against, and its state. 16 B.</summary>
internal struct Reservation
{
    public long AmountNanos;
    public int Day;
    public ReservationState State;
}
