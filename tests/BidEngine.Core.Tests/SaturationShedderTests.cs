using BidEngine.Core.Deadlines;

namespace BidEngine.Core.Tests;

public sealed class SaturationShedderTests
{
    private static readonly DeadlineOptions Options = new() { ShedCpuBusy = 0.95, ShedCpuOwnShare = 0.5 };

    private static SaturationShedder Controller()
    {
        var shedder = new SaturationShedder(Options, cpu: null, start: false);
        shedder.Arm();
        return shedder;
    }

    [Fact]
    public void ReadsBusyAndTotalTicksFromAProcStatCpuLine()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        Assert.True(CpuUsage.TryParseCpuLine("0 442306 0 53711 264867 659 0 8801 2718 7 9", out var cpu, out var busy, out var total));
        Assert.Equal(0, cpu);
        Assert.Equal(442306 + 53711 + 264867 + 659 + 8801 + 2718, total);
        Assert.Equal(total - 264867 - 659, busy);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x 1 2 3 4")]
    [InlineData("1 1 2")]
    [InlineData("1 1 2 three 4 5")]
    public void RefusesLinesThatAreNotPerCpuCounters(string line) =>
        Assert.False(CpuUsage.TryParseCpuLine(line, out _, out _, out _));

    [Fact]
    public void ReadsThisMachinesCpusWhenItHasProcStat()
    {
        using var shedder = new SaturationShedder(new DeadlineOptions());
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(shedder.Enabled);
            return;
        }

        Assert.True(shedder.Enabled);
        var cpu = CpuUsage.TryCreate();
        Assert.NotNull(cpu);
        Assert.InRange(cpu.CpuCount, 1, Environment.ProcessorCount);
    }

    [Fact]
    public void SkipsTheModelFirstAndShedsOnlyOnceEveryRequestSkipsIt()
    {
        using var shedder = Controller();
        var last = 0.0;
        var sawHeuristicOnly = false;
        for (var i = 0; i < 30; i++)
        {
            shedder.Update(busy: 1.0, own: 0.9);
            Assert.InRange(shedder.Pressure - last, 0.0, 0.2 + 1e-9);
            last = shedder.Pressure;
            if (shedder.ShedFraction > 0)
            {
                Assert.Equal(1.0, shedder.HeuristicFraction);
            }
            else if (shedder.HeuristicFraction > 0)
            {
                sawHeuristicOnly = true;
            }
        }

        Assert.True(sawHeuristicOnly);
        Assert.Equal(1.0, shedder.ShedFraction, 6);
        Assert.Equal(1.0, shedder.HeuristicFraction, 6);
    }

    [Fact]
    public void EasesOffOnceTheCpusHaveHeadroomAgain()
    {
        using var shedder = Controller();
        for (var i = 0; i < 8; i++)
        {
            shedder.Update(busy: 1.0, own: 0.9);
        }

        Assert.True(shedder.ShedFraction > 0.3, $"shed {shedder.ShedFraction}");
        for (var i = 0; i < 20; i++)
        {
            shedder.Update(busy: 0.6, own: 0.5);
        }

        Assert.Equal(0.0, shedder.Pressure);
        Assert.False(shedder.ShouldSkipModel());
    }

    [Fact]
    public void DoesNotShedWhenTheCpusAreBusyWithSomeoneElsesWork()
    {
        using var shedder = Controller();
        for (var i = 0; i < 10; i++)
        {
            shedder.Update(busy: 1.0, own: 0.1);
        }

        Assert.Equal(0.0, shedder.Pressure);
        Assert.False(shedder.ShouldShed());
        Assert.False(shedder.ShouldSkipModel());
    }

    [Fact]
    public void TakesExactlyTheShareItSaysSpreadEvenly()
    {
        using var shedder = Controller();
        for (var i = 0; i < 7; i++)
        {
            shedder.Update(busy: 1.0, own: 1.0); // +0.2 each: pressure 1.4
        }

        Assert.Equal(0.4, shedder.ShedFraction, 6);
        var shed = 0;
        var skipped = 0;
        var longestRun = 0;
        var run = 0;
        for (var i = 0; i < 1000; i++)
        {
            if (shedder.ShouldShed())
            {
                shed++;
                run++;
                longestRun = Math.Max(longestRun, run);
            }
            else
            {
                run = 0;
            }

            skipped += shedder.ShouldSkipModel() ? 1 : 0;
        }

        Assert.InRange(shed, 399, 401);
        Assert.Equal(1, longestRun);
        Assert.Equal(1000, skipped);
    }

    [Fact]
    public void ActsOnlyOnceArmed()
    {
        using var shedder = new SaturationShedder(Options, cpu: null, start: false);
        for (var i = 0; i < 15; i++)
        {
            shedder.Update(busy: 1.0, own: 1.0); // a warm-up saturating the CPUs
        }

        Assert.Equal(0.0, shedder.Pressure);
        Assert.False(shedder.ShouldShed());
        Assert.False(shedder.ShouldSkipModel());
        shedder.Arm();
        shedder.Update(busy: 1.0, own: 1.0);
        Assert.Equal(0.2, shedder.Pressure, 6); // builds from nothing, not from the warm-up's saturation
    }

    [Fact]
    public void IsOffWhenTheSettingIsZero()
    {
        using var shedder = new SaturationShedder(new DeadlineOptions { ShedCpuBusy = 0 });
        Assert.False(shedder.Enabled);
        Assert.False(shedder.ShouldShed());
        Assert.True(double.IsNaN(shedder.CpuBusy));
    }

    [Fact]
    public void AdmissionControlSkipsTheModelThenShedsAsTheShedderSays()
    {
        using var probe = new QueueDelayProbe();
        using var shedder = Controller();
        var admission = new AdmissionControl(probe, new DeadlineOptions { ShedQueueDelayMs = 0 }, shedder);
        Assert.True(admission.ModelAllowed());
        for (var i = 0; i < 5; i++)
        {
            shedder.Update(busy: 1.0, own: 1.0); // pressure 1: every request skips the model, none is shed
        }

        Assert.True(admission.TryEnter());
        Assert.False(admission.ModelAllowed());
        admission.Leave();
        for (var i = 0; i < 10; i++)
        {
            shedder.Update(busy: 1.0, own: 1.0);
        }

        Assert.False(admission.TryEnter());
        Assert.Equal(0, admission.InFlight);
    }
}
