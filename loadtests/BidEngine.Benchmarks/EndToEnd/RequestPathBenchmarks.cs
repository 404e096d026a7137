using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BidEngine.Benchmarks.Parsing;
using BidEngine.Core.Campaigns;
using BidEngine.Core.Currency;
using BidEngine.Core.Deadlines;
using BidEngine.Core.Heuristics;
using BidEngine.Core.Pipeline;
using BidEngine.Core.Pricing;
using BidEngine.Model;
using BidEngine.OpenRtb.Parsing;
using BidEngine.OpenRtb.Writing;

namespace BidEngine.Benchmarks.EndToEnd;

/// <summary>
/// One typical request through the whole path without HTTP: parse, candidates and features, score
/// with the shipped fp32 model (or the heuristic), price, write. Each stage is also timed alone.
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks
{
    private readonly BidContext _context = new();
    private readonly ArrayBufferWriter<byte> _output = new(8192);
    private Utf8JsonWriter _writer = null!;
    private BidPipeline _model = null!;
    private BidPipeline _heuristic = null!;
    private OnnxCtrScorer _scorer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var campaigns = CampaignLoader.LoadFile(RepositoryFiles.Path("config", "campaigns.json"));
        var snapshot = new CampaignSnapshot(campaigns, new CurrencyTable(new Dictionary<string, double> { ["EUR"] = 1.08 }));
        var deadlines = new DeadlinePolicy(new DeadlineOptions(), PriorCtrTable.LoadFile(RepositoryFiles.Path("models", "ctr.priors.json")));
        _scorer = new OnnxCtrScorer(new ModelOptions { ModelPath = RepositoryFiles.Path("models", "ctr.onnx") });
        _scorer.Warmup();
        _model = new BidPipeline(() => snapshot, _scorer, new PricingOptions(), new PipelineOptions(), deadlines);
        _heuristic = new BidPipeline(() => snapshot, null, new PricingOptions(), new PipelineOptions(), deadlines);
        _writer = new Utf8JsonWriter(_output);
        if (!Run(_model) || _context.Path != ScoringPath.Model)
        {
            throw new InvalidOperationException($"the typical request should be scored by the model and bid (path {_context.Path})");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _scorer.Dispose();

    [Benchmark(Description = "parse")]
    public bool Parse()
    {
        _context.Reset();
        return BidRequestParser.Parse(SampleRequests.Typical, _context.Request).IsSuccess;
    }

    [Benchmark(Description = "parse + decide (model) + write")]
    public bool WithModel() => Run(_model);

    [Benchmark(Description = "parse + decide (heuristic) + write")]
    public bool WithHeuristic() => Run(_heuristic);

    [Benchmark(Description = "write")]
    public long Write()
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        BidResponseWriter.Write(_writer, _context.Request, _context.Response);
        _writer.Flush();
        return _writer.BytesCommitted;
    }

    private bool Run(BidPipeline pipeline)
    {
        _context.Reset();
        BidRequestParser.Parse(SampleRequests.Typical, _context.Request);
        _context.Deadline = RequestDeadline.None;
        var decided = pipeline.DecideAsync(_context);
        if (!decided.IsCompletedSuccessfully)
        {
            decided.AsTask().GetAwaiter().GetResult();
        }

        _output.ResetWrittenCount();
        _writer.Reset(_output);
        BidResponseWriter.Write(_writer, _context.Request, _context.Response);
        _writer.Flush();
        return _context.Response.HasBids;
    }
}
