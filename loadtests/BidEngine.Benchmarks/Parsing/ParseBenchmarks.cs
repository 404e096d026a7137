using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Request;

namespace BidEngine.Benchmarks.Parsing;

/// <summary>
/// The pooled parser against JsonSerializer into full POCOs of the same request, reflection and
/// source-generated. The baseline is JsonSerializer with reflection metadata.
/// </summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private static readonly JsonSerializerOptions Reflection = new() { PropertyNameCaseInsensitive = true };

    private readonly BidRequest _pooled = new();
    private ReadOnlySequence<byte> _fragmented;

    [GlobalSetup]
    public void Setup()
    {
        _fragmented = BidEngine.Tests.Shared.Segments.Split(SampleRequests.Typical, 512);
        JsonSerializer.Deserialize<PocoBidRequest>(SampleRequests.Typical, Reflection);
    }

    [Benchmark(Baseline = true, Description = "JsonSerializer -> POCOs (reflection)")]
    public PocoBidRequest? JsonSerializerReflection() => JsonSerializer.Deserialize<PocoBidRequest>(SampleRequests.Typical, Reflection);

    [Benchmark(Description = "JsonSerializer -> POCOs (source-generated)")]
    public PocoBidRequest? JsonSerializerSourceGenerated() => JsonSerializer.Deserialize(SampleRequests.Typical, PocoJsonContext.Default.PocoBidRequest);

    [Benchmark(Description = "BidRequestParser, pooled (one span)")]
    public bool Pooled()
    {
        _pooled.Reset();
        return BidRequestParser.Parse(SampleRequests.Typical, _pooled).IsSuccess;
    }

    [Benchmark(Description = "BidRequestParser, pooled (3 segments)")]
    public bool PooledFragmented()
    {
        _pooled.Reset();
        return BidRequestParser.Parse(_fragmented, _pooled).IsSuccess;
    }
}
