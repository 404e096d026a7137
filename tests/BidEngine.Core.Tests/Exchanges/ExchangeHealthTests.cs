using BidEngine.Core.Exchanges;
using BidEngine.Core.Time;

namespace BidEngine.Core.Tests.Exchanges;

public sealed class ExchangeHealthTests
{
    private static readonly ExchangeHealthOptions Options = new()
    {
        TripShare = 0.10,
        WindowSeconds = 10,
        MinAnswers = 100,
        CoolDownSeconds = 15,
        ProbeShare = 0.25,
        ProbeSeconds = 10,
    };

    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-12-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private ExchangeHealth NewHealth() => new("example", Options, _clock);

    /// <summary>
    /// One second of traffic: <paramref name="answers"/> requests, the first <paramref name="bad"/> served of them late.
    /// Requests the switch sheds are not recorded, as the server does not record them.
    /// </summary>
    private static int Second(ExchangeHealth health, ManualClock clock, int answers, int bad)
    {
        var admitted = 0;
        for (var i = 0; i < answers; i++)
        {
            if (health.Admit())
            {
                admitted++;
                health.Record(i < bad ? ExchangeAnswer.Late : ExchangeAnswer.NoBid);
            }
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        return admitted;
    }

    [Fact]
    public void KeepsServingWhileLateAnswersStayUnderTheThreshold()
    {
        var health = NewHealth();
        for (var s = 0; s < 30; s++)
        {
            Assert.Equal(200, Second(health, _clock, 200, 15));
        }

        Assert.Equal(ExchangeHealthState.Serving, health.State);
        Assert.Equal(0, health.Trips);
    }

    [Fact]
    public void TripsWhenLateAndErrorAnswersCrossTheThresholdAndShedsEverything()
    {
        var health = NewHealth();
        Second(health, _clock, 200, 30);
        health.Admit();
        Assert.Equal(ExchangeHealthState.Tripped, health.State);
        Assert.Equal(1, health.Trips);
        Assert.Equal(0, Second(health, _clock, 200, 0));
    }

    [Fact]
    public void DoesNotTripOnAFewEarlyErrors()
    {
        var health = NewHealth();
        Second(health, _clock, 50, 50);
        health.Admit();
        Assert.Equal(ExchangeHealthState.Serving, health.State);
    }

    [Fact]
    public void ForgetsAnswersOlderThanTheWindow()
    {
        var health = NewHealth();
        Second(health, _clock, 90, 90);
        _clock.Advance(TimeSpan.FromSeconds(Options.WindowSeconds));
        for (var s = 0; s < 10; s++)
        {
            Second(health, _clock, 20, 0);
        }

        // The clock reads second 21: the window is seconds 12 to 21, nine seconds of 20 good answers;
        // the 90 late ones of second 0 are gone.
        var (answers, share) = health.Window();
        Assert.Equal(180, answers);
        Assert.Equal(0, share);
        health.Admit();
        Assert.Equal(ExchangeHealthState.Serving, health.State);
    }

    [Fact]
    public void ProbesWithAShareOfTrafficAfterTheCoolDownAndRecoversOnItsOwn()
    {
        var health = NewHealth();
        Second(health, _clock, 200, 100);
        health.Admit();
        Assert.Equal(ExchangeHealthState.Tripped, health.State);
        for (var s = 0; s < Options.CoolDownSeconds; s++)
        {
            Assert.Equal(0, Second(health, _clock, 200, 0));
        }

        var probed = Second(health, _clock, 200, 0);
        Assert.Equal(ExchangeHealthState.Probing, health.State);
        Assert.InRange(probed, 40, 60);
        for (var s = 0; s < Options.ProbeSeconds; s++)
        {
            Second(health, _clock, 200, 0);
        }

        health.Admit();
        Assert.Equal(ExchangeHealthState.Serving, health.State);
        Assert.Equal(200, Second(health, _clock, 200, 0));
    }

    [Fact]
    public void TripsAgainWhenTheProbeIsStillLate()
    {
        var health = NewHealth();
        Second(health, _clock, 200, 100);
        health.Admit();
        _clock.Advance(TimeSpan.FromSeconds(Options.CoolDownSeconds));
        health.Admit();
        Assert.Equal(ExchangeHealthState.Probing, health.State);

        // Every admitted probe is late.
        Second(health, _clock, 400, 400);
        health.Admit();
        Assert.Equal(ExchangeHealthState.Tripped, health.State);
        Assert.Equal(2, health.Trips);
    }

    [Fact]
    public void AnOperatorSwitchesAnExchangeOffAndOnByHand()
    {
        var health = NewHealth();
        var changes = new List<(ExchangeHealthState From, ExchangeHealthState To)>();
        health.StateChanged += (h, from, _) => changes.Add((from, h.State));
        health.Disable();
        Assert.Equal(0, Second(health, _clock, 100, 0));
        for (var s = 0; s < 60; s++)
        {
            Second(health, _clock, 10, 0);
        }

        // A hand-made switch does not recover on its own.
        Assert.Equal(ExchangeHealthState.Disabled, health.State);
        health.Enable();
        Assert.Equal(100, Second(health, _clock, 100, 0));
        Assert.Equal([(ExchangeHealthState.Serving, ExchangeHealthState.Disabled), (ExchangeHealthState.Disabled, ExchangeHealthState.Serving)], changes);
    }

    [Fact]
    public void CountsEveryAnswerFromManyThreads()
    {
        var health = NewHealth();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                health.Admit();
                health.Record(i % 10 == 0 ? ExchangeAnswer.Error : ExchangeAnswer.Bid);
            }
        });

        Assert.Equal(8_000, health.Total(ExchangeAnswer.Error));
        Assert.Equal(72_000, health.Total(ExchangeAnswer.Bid));
        Assert.Equal((80_000L, 0.1), health.Window());
    }

    [Fact]
    public void AdmitsAndRecordsWithoutAllocating()
    {
        var health = NewHealth();
        health.Admit();
        health.Record(ExchangeAnswer.Bid);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            health.Admit();
            health.Record(ExchangeAnswer.NoBid);
            _clock.Advance(TimeSpan.FromMilliseconds(7));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData(nameof(ExchangeHealthOptions.TripShare), 1.5)]
    [InlineData(nameof(ExchangeHealthOptions.WindowSeconds), 1)]
    [InlineData(nameof(ExchangeHealthOptions.ProbeShare), 0)]
    public void RefusesSettingsOutOfRangeNamingThem(string setting, double value)
    {
        var options = new ExchangeHealthOptions();
        var property = typeof(ExchangeHealthOptions).GetProperty(setting)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? (object)(int)value : value);
        var error = Assert.Single(options.Validate("BidEngine:Exchanges:example:Health"));
        Assert.StartsWith($"BidEngine:Exchanges:example:Health:{setting} ", error);
    }
}
