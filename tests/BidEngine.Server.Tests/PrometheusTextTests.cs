using Xunit.Sdk;

namespace BidEngine.Server.Tests;

/// <summary>The /metrics reader the tests share: whole series, whole values, and no silent zero.</summary>
public sealed class PrometheusTextTests
{
    private const string Text = """
        # HELP bidengine_answers_total Answers by outcome.
        # TYPE bidengine_answers_total counter
        bidengine_answers_total{outcome="bid"} 12
        bidengine_answers_total{outcome="nobid"} 1
        # HELP bidengine_exchange_answers_total Answers per exchange.
        # TYPE bidengine_exchange_answers_total counter
        bidengine_exchange_answers_total{exchange="on",answer="bid"} 3
        bidengine_exchange_answers_total{exchange="a \"quoted\", odd\\one",answer="bid"} 4
        bidengine_late_answers_total 0
        bidengine_model_cost_seconds{rows="1"} 2.5e-05
        bidengine_request_duration_seconds_bucket{le="+Inf"} 7
        """;

    [Fact]
    public void ReadsAWholeSeriesAndItsWholeValue()
    {
        Assert.Equal(12, PrometheusText.Value(Text, "bidengine_answers_total{outcome=\"bid\"}"));
        Assert.Equal(1, PrometheusText.Value(Text, "bidengine_answers_total", ("outcome", "nobid")));
        Assert.Equal(0, PrometheusText.Value(Text, "bidengine_late_answers_total"));
        Assert.Equal(2.5e-05, PrometheusText.Value(Text, "bidengine_model_cost_seconds{rows=\"1\"}"));
        Assert.Equal(7, PrometheusText.Value(Text, "bidengine_request_duration_seconds_bucket{le=\"+Inf\"}"));
    }

    [Fact]
    public void LabelsMatchInAnyOrderAndWithEscapedValues()
    {
        Assert.Equal(3, PrometheusText.Value(Text, "bidengine_exchange_answers_total{answer=\"bid\",exchange=\"on\"}"));
        Assert.Equal(4, PrometheusText.Value(Text, "bidengine_exchange_answers_total", ("exchange", "a \"quoted\", odd\\one"), ("answer", "bid")));
    }

    [Fact]
    public void AMissingSeriesFailsNamingItAndTheSeriesLikeIt()
    {
        var renamed = Assert.Throws<FailException>(() => PrometheusText.Value(Text, "bidengine_answer_total{outcome=\"bid\"}"));
        Assert.Contains("bidengine_answer_total{outcome=\"bid\"} is not at /metrics", renamed.Message, StringComparison.Ordinal);
        Assert.Contains("bidengine_answers_total", renamed.Message, StringComparison.Ordinal);

        var otherLabel = Assert.Throws<FailException>(() => PrometheusText.Value(Text, "bidengine_answers_total{outcome=\"shed\"}"));
        Assert.Contains("bidengine_answers_total{outcome=\"bid\"}", otherLabel.Message, StringComparison.Ordinal);

        // A subset of the labels is another series, not this one.
        Assert.Throws<FailException>(() => PrometheusText.Value(Text, "bidengine_exchange_answers_total{exchange=\"on\"}"));
        Assert.Throws<FailException>(() => PrometheusText.Value(Text, "bidengine_late_answers"));
    }

    [Fact]
    public void ADeltaNeedsTheSeriesOnBothSides()
    {
        const string Before = "bidengine_answers_total{outcome=\"bid\"} 10\n";
        Assert.Equal(2, PrometheusText.Delta(Before, Text, "bidengine_answers_total{outcome=\"bid\"}"));
        Assert.Throws<FailException>(() => PrometheusText.Delta(Before, Text, "bidengine_answers_total{outcome=\"nobid\"}"));
    }
}
