using BidEngine.Core.Exchanges;
using Prometheus;

namespace BidEngine.Server.Metrics;

/// <summary>
/// Each exchange's health as it sees the bidder: answers by kind (bid, no-bid, late, error; a rate in
/// Prometheus), answer time (its p99), the kill switch's state and trips, and requests the switch shed.
/// Every change of a switch is logged. Children are made once per exchange: counting allocates nothing.
/// </summary>
internal sealed class ExchangeMetrics
{
    private readonly Dictionary<Exchange, Children> _children = new(ReferenceEqualityComparer.Instance);

    public ExchangeMetrics(CollectorRegistry registry, ExchangeDirectory exchanges, ILogger<ExchangeMetrics> logger)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var answers = factory.CreateCounter("bidengine_exchange_answers_total", "Answers per exchange, as the exchange saw them: bid, nobid, late (after its deadline) or error (4xx/5xx).", "exchange", "answer");
        var duration = factory.CreateHistogram(
            "bidengine_exchange_answer_seconds",
            "Time from arrival to the answer, per exchange.",
            new HistogramConfiguration { LabelNames = ["exchange"], Buckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1] });
        var switched = factory.CreateCounter("bidengine_exchange_switched_off_total", "Requests answered with a cheap no-bid because the exchange's kill switch was tripped, probing or off.", "exchange");
        var state = factory.CreateGauge("bidengine_exchange_state", "The kill switch: 0 serving, 1 tripped, 2 probing, 3 switched off by hand.", "exchange");
        var dropped = factory.CreateCounter("bidengine_exchange_bids_dropped_for_size_total", "Bids dropped (cheapest first, reservation freed) to keep an answer within the exchange's MaxResponseBytes.", "exchange");
        var trips = factory.CreateCounter("bidengine_exchange_trips_total", "Times the kill switch tripped on its own.", "exchange");
        foreach (var exchange in exchanges.All)
        {
            var name = exchange.Name;
            var children = new Children(
                answers.WithLabels(name, "bid"),
                answers.WithLabels(name, "nobid"),
                answers.WithLabels(name, "late"),
                answers.WithLabels(name, "error"),
                duration.WithLabels(name),
                switched.WithLabels(name),
                dropped.WithLabels(name));
            _children.Add(exchange, children);
            var stateChild = state.WithLabels(name);
            var tripsChild = trips.WithLabels(name);
            stateChild.Set((int)exchange.Health.State);
            exchange.Health.StateChanged += (health, previous, share) =>
            {
                stateChild.Set((int)health.State);
                logger.LogWarning(
                    "Exchange {Exchange}: kill switch {Previous} -> {State} (late and error share {Share:P1} of the window)",
                    health.Name, previous, health.State, share);
            };
            registry.AddBeforeCollectCallback(() => tripsChild.IncTo(exchange.Health.Trips));
        }
    }

    /// <summary>Counts one answer to <paramref name="exchange"/> in its health window and its metrics.</summary>
    public void Answered(Exchange exchange, ExchangeAnswer answer, double seconds)
    {
        exchange.Health.Record(answer);
        var children = _children[exchange];
        var counter = answer switch
        {
            ExchangeAnswer.Bid => children.Bid,
            ExchangeAnswer.NoBid => children.NoBid,
            ExchangeAnswer.Late => children.Late,
            _ => children.Error,
        };
        counter.Inc();
        children.Duration.Observe(seconds);
    }

    /// <summary>
    /// Counts one request the kill switch answered with a no-bid. Not in the health window: it says
    /// nothing of whether the bidder keeps up, and would dilute the probes' share.
    /// </summary>
    public void SwitchedOff(Exchange exchange) => _children[exchange].SwitchedOff.Inc();

    /// <summary>Counts one bid dropped to keep the exchange's size cap.</summary>
    public void DroppedForSize(Exchange exchange) => _children[exchange].DroppedForSize.Inc();

    private sealed record Children(Counter.Child Bid, Counter.Child NoBid, Counter.Child Late, Counter.Child Error, Histogram.Child Duration, Counter.Child SwitchedOff, Counter.Child DroppedForSize);
}
