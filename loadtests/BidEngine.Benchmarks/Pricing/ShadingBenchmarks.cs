using BenchmarkDotNet.Attributes;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.Pricing;

namespace BidEngine.Benchmarks.Pricing;

/// <summary>
/// Learned first-price shading with 10,000 campaigns learning: the factor the bid path asks for
/// once per candidate, and the update a win or loss notice makes (exact, with min-to-win, and
/// censored). Goal: 0 B for all three; the ask in tens of nanoseconds, an update in a few µs.
/// </summary>
[MemoryDiagnoser]
public class ShadingBenchmarks
{
    private const int Campaigns = 10_000;

    private LearnedShading _shading = null!;
    private Campaign[] _campaigns = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _campaigns = Enumerable.Range(0, Campaigns)
            .Select(i => new Campaign($"cmp-{i}", [$"a{i}.example"], ["IAB1"], 1.0, 10, 0.002, Targeting.Any, [new Creative("cr", CreativeKind.Banner, 300, 250, "<img>", null, [], 0)]))
            .ToArray();
        var snapshot = new CampaignSnapshot(_campaigns, new CurrencyTable(new Dictionary<string, double>()));
        _shading = new LearnedShading(new PricingOptions(), () => snapshot);
        var random = new Random(7);
        foreach (var campaign in _campaigns)
        {
            for (var i = 0; i < 300; i++)
            {
                var toBeat = 2.0 * Math.Exp(Math.Log(0.6) + (0.3 * ((random.NextDouble() * 2) - 1)));
                Tell(campaign, toBeat);
            }
        }

        void Tell(Campaign campaign, double toBeat)
        {
            if (toBeat <= 1.7)
            {
                _shading.ObserveWin(campaign, 1.7, 2.0, toBeat);
            }
            else
            {
                _shading.ObserveLoss(campaign, 1.7, 2.0, 102, toBeat);
            }
        }
    }

    /// <summary>The campaigns in a scattered order (7919 is prime to 10,000), so lookups do not stay in one cache line.</summary>
    private Campaign Next()
    {
        _next = (_next + 7919) % Campaigns;
        return _campaigns[_next];
    }

    [Benchmark(OperationsPerInvoke = 1024)]
    public double FirstPriceFactor()
    {
        var sum = 0.0;
        for (var i = 0; i < 1024; i++)
        {
            sum += _shading.FirstPriceFactor(Next());
        }

        return sum;
    }

    [Benchmark]
    public void ObserveExact() => _shading.ObserveWin(Next(), 1.4, 2.0, 1.2);

    [Benchmark]
    public void ObserveCensoredLoss() => _shading.ObserveLoss(Next(), 1.4, 2.0, 102, null);
}
