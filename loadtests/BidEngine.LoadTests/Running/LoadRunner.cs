using System.Diagnostics;
using System.Threading.Channels;
using BidEngine.LoadTests.Corpus;
using BidEngine.LoadTests.Http;
using HdrHistogram;

namespace BidEngine.LoadTests.Running;

/// <summary>
/// Runs one load: open model (requests on a precomputed schedule, latency from the intended send
/// time) or closed model (C connections back to back, latency from the actual send).
/// </summary>
public static class LoadRunner
{
    /// <summary>
    /// Open model. A pacer thread releases each request at its intended time into a queue; C workers,
    /// one connection each, send what is due. When every connection is busy the queue grows and so
    /// does the measured latency: the generator never waits for the server before releasing more.
    /// The pacer sleeps in ~1 ms steps instead of spinning (2 shared cores); that slop is measured as
    /// the send lag and is part of the latency, as it is in the floor's figures.
    /// </summary>
    public static async Task<RunResult> RunOpenAsync(RunSettings s, CancellationToken cancellationToken)
    {
        var schedule = s.Schedule ?? throw new ArgumentException("The open model needs a schedule.", nameof(s));
        var stats = new RunStats(s.Pool.TmaxValues);
        var senders = await ConnectAllAsync(s, cancellationToken);
        var freq = Stopwatch.Frequency;
        var timeoutTicks = (long)(s.Timeout.TotalSeconds * freq);
        var offsets = new long[schedule.Count];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = (long)(schedule.OffsetsTicks[i] * (freq / (double)TimeSpan.TicksPerSecond));
        }

        // Hard stop: the schedule, then one timeout for the last queued and one for the last in flight.
        using var runCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        runCts.CancelAfter(schedule.Duration + s.Timeout + s.Timeout + TimeSpan.FromSeconds(1));
        var runToken = runCts.Token;

        var queue = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = false });
        var cpu = new CpuMeter(s.ServerProcess);
        var start = Stopwatch.GetTimestamp() + freq / 50; // 20 ms for the workers to park on the queue

        var pacer = new Thread(() =>
        {
            try
            {
                for (var i = 0; i < offsets.Length && !runToken.IsCancellationRequested; i++)
                {
                    var due = start + offsets[i];
                    long now;
                    while ((now = Stopwatch.GetTimestamp()) < due)
                    {
                        var remainingMs = (due - now) * 1000 / freq;
                        Thread.Sleep(remainingMs > 2 ? (int)Math.Min(remainingMs - 1, 100) : 1);
                        if (runToken.IsCancellationRequested)
                        {
                            return;
                        }
                    }

                    queue.Writer.TryWrite(i);
                }
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        })
        { IsBackground = true, Name = "open-model pacer", Priority = ThreadPriority.AboveNormal };
        pacer.Start();

        var workers = new Task[senders.Length];
        for (var w = 0; w < senders.Length; w++)
        {
            var sender = senders[w];
            workers[w] = Task.Run(() => OpenWorkerAsync(sender, s, schedule, offsets, start, timeoutTicks, queue.Reader, stats, runToken), CancellationToken.None);
        }

        await Task.WhenAll(workers);
        pacer.Join();
        var cpuUsed = cpu.Stop();

        // Anything still queued at the hard stop never got an answer: count it as timed out.
        while (queue.Reader.TryRead(out var left))
        {
            if (schedule.IsRecorded(left))
            {
                var waited = Stopwatch.GetTimestamp() - (start + offsets[left]);
                stats.RecordSent(ToMicros(waited));
                stats.RecordTimeout(ToMicros(waited), s.Pool[left].TmaxMs);
            }
        }

        await DisposeAllAsync(senders);
        return Summarize(s, "open", stats, schedule.RecordedDuration.TotalSeconds, cpuUsed, schedule.Count);
    }

    private static async Task OpenWorkerAsync(IRequestSender sender, RunSettings s, Scheduling.ArrivalSchedule schedule, long[] offsets,
        long start, long timeoutTicks, ChannelReader<int> queue, RunStats stats, CancellationToken runToken)
    {
        // Less time left than this and no answer can arrive in time: a tenth of the timeout, at most 100 ms.
        var minimumLeftTicks = Math.Min(timeoutTicks / 10, Stopwatch.Frequency / 10);
        var requestCts = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        try
        {
            while (await queue.WaitToReadAsync(runToken))
            {
                while (queue.TryRead(out var i))
                {
                    var request = s.Pool[i];
                    var intended = start + offsets[i];
                    var recorded = schedule.IsRecorded(i);
                    var now = Stopwatch.GetTimestamp();
                    if (recorded)
                    {
                        stats.RecordSent(ToMicros(now - intended));
                    }

                    var left = intended + timeoutTicks - now;
                    if (left < minimumLeftTicks)
                    {
                        // Waited in the queue (almost) to the timeout: the exchange has given up. Sending it
                        // anyway would cancel it mid-answer, reconnect, and fall further behind: measured,
                        // that spiral left the generator answering a few hundred requests/s under overload.
                        if (recorded)
                        {
                            stats.RecordTimeout(ToMicros(now - intended), request.TmaxMs);
                        }

                        continue;
                    }

                    requestCts.CancelAfter(TimeSpan.FromSeconds(left / (double)Stopwatch.Frequency));
                    try
                    {
                        var response = await sender.SendAsync(request, requestCts.Token);
                        if (recorded)
                        {
                            stats.RecordResponse(response, ToMicros(Stopwatch.GetTimestamp() - intended), request.TmaxMs, s.DefaultTmaxMs);
                        }
                    }
                    catch (OperationCanceledException) when (!runToken.IsCancellationRequested)
                    {
                        if (recorded)
                        {
                            stats.RecordTimeout(ToMicros(Stopwatch.GetTimestamp() - intended), request.TmaxMs);
                        }
                    }
                    catch (Exception) when (!runToken.IsCancellationRequested)
                    {
                        if (recorded)
                        {
                            stats.RecordTransportError();
                        }
                    }

                    if (!requestCts.TryReset())
                    {
                        requestCts.Dispose();
                        requestCts = CancellationTokenSource.CreateLinkedTokenSource(runToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            // hard stop reached
        }
        finally
        {
            requestCts.Dispose();
        }
    }

    /// <summary>
    /// Closed model: each of C connections sends its next request as soon as the previous answer is in,
    /// for the warm-up then the recorded duration, and at most <see cref="RunSettings.MaxRequests"/> in all.
    /// Gives peak throughput; its latencies are service times, not what an exchange would see.
    /// </summary>
    public static async Task<RunResult> RunClosedAsync(RunSettings s, CancellationToken cancellationToken)
    {
        var stats = new RunStats(s.Pool.TmaxValues);
        var senders = await ConnectAllAsync(s, cancellationToken);
        var freq = Stopwatch.Frequency;
        using var runCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        runCts.CancelAfter(s.Warmup + s.Duration + s.Timeout + TimeSpan.FromSeconds(1));
        var runToken = runCts.Token;
        var begin = Stopwatch.GetTimestamp();
        var recordFrom = begin + (long)(s.Warmup.TotalSeconds * freq);
        var end = recordFrom + (long)(s.Duration.TotalSeconds * freq);
        long counter = -1;
        var cpu = new CpuMeter(s.ServerProcess);

        var workers = senders.Select(sender => Task.Run(async () =>
        {
            using var requestCts = CancellationTokenSource.CreateLinkedTokenSource(runToken);
            var cts = requestCts;
            long now;
            while ((now = Stopwatch.GetTimestamp()) < end && !runToken.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref counter);
                if (i >= s.MaxRequests)
                {
                    break;
                }

                var request = s.Pool[i];
                var recorded = now >= recordFrom;
                if (recorded)
                {
                    stats.RecordSent(0);
                }

                cts.CancelAfter(s.Timeout);
                try
                {
                    var response = await sender.SendAsync(request, cts.Token);
                    if (recorded)
                    {
                        stats.RecordResponse(response, ToMicros(Stopwatch.GetTimestamp() - now), request.TmaxMs, s.DefaultTmaxMs);
                    }
                }
                catch (OperationCanceledException) when (!runToken.IsCancellationRequested)
                {
                    if (recorded)
                    {
                        stats.RecordTimeout(ToMicros(Stopwatch.GetTimestamp() - now), request.TmaxMs);
                    }
                }
                catch (Exception) when (!runToken.IsCancellationRequested)
                {
                    if (recorded)
                    {
                        stats.RecordTransportError();
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (!cts.TryReset())
                {
                    break; // only a run-wide cancel gets here after the catch above
                }
            }
        }, CancellationToken.None)).ToArray();

        await Task.WhenAll(workers);
        var cpuUsed = cpu.Stop();
        await DisposeAllAsync(senders);
        return Summarize(s, "closed", stats, s.Duration.TotalSeconds, cpuUsed, Math.Min(Interlocked.Read(ref counter) + 1, s.MaxRequests));
    }

    private static async Task<IRequestSender[]> ConnectAllAsync(RunSettings s, CancellationToken ct)
    {
        var senders = new IRequestSender[s.Connections];
        for (var i = 0; i < senders.Length; i++)
        {
            senders[i] = s.Senders.CreateSender();
        }

        try
        {
            using var connectCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connectCts.CancelAfter(TimeSpan.FromSeconds(10));
            await Task.WhenAll(senders.Select(x => x.ConnectAsync(connectCts.Token).AsTask()));
        }
        catch
        {
            await DisposeAllAsync(senders);
            throw;
        }

        return senders;
    }

    private static async Task DisposeAllAsync(IRequestSender[] senders)
    {
        foreach (var sender in senders)
        {
            await sender.DisposeAsync();
        }
    }

    internal static long ToMicros(long stopwatchTicks) => stopwatchTicks * 1_000_000 / Stopwatch.Frequency;

    private static RunResult Summarize(RunSettings s, string model, RunStats stats, double recordedSeconds, CpuMeter.Reading cpu, long attempts)
    {
        var h = stats.Latency;
        var statuses = stats.StatusCounts();
        var answered = statuses.Values.Sum();
        long unexpected = statuses.Where(kv => kv.Key is not (200 or 204)).Sum(kv => kv.Value);
        long fiveXx = statuses.Where(kv => kv.Key >= 500).Sum(kv => kv.Value);
        static double Ms(long micros) => micros / 1000.0;
        var summary = new RunSummary
        {
            Label = s.Label,
            Model = model,
            TargetRateRps = s.TargetRate,
            Connections = s.Connections,
            DurationS = recordedSeconds,
            Sent = stats.Sent,
            Answered = answered,
            ThroughputRps = recordedSeconds > 0 ? answered / recordedSeconds : 0,
            Bids = stats.StatusCount(200),
            NoBids = stats.StatusCount(204),
            UnexpectedStatus = unexpected,
            Status5xx = fiveXx,
            TransportErrors = stats.TransportErrors,
            Timeouts = stats.Timeouts,
            Late = stats.Late + stats.Timeouts,
            P50Ms = h.TotalCount == 0 ? 0 : Ms(h.GetValueAtPercentile(50)),
            P90Ms = h.TotalCount == 0 ? 0 : Ms(h.GetValueAtPercentile(90)),
            P99Ms = h.TotalCount == 0 ? 0 : Ms(h.GetValueAtPercentile(99)),
            P999Ms = h.TotalCount == 0 ? 0 : Ms(h.GetValueAtPercentile(99.9)),
            MaxMs = h.TotalCount == 0 ? 0 : Ms(h.GetMaxValue()),
            MeanMs = h.TotalCount == 0 ? 0 : h.GetMean() / 1000.0,
            SendLagP99Ms = stats.SendLag.TotalCount == 0 ? 0 : Ms(stats.SendLag.GetValueAtPercentile(99)),
            SendLagMaxMs = stats.SendLag.TotalCount == 0 ? 0 : Ms(stats.SendLag.GetMaxValue()),
            GeneratorCpuS = cpu.GeneratorCpu.TotalSeconds,
            GeneratorCpuPercentOfCore = 100 * cpu.GeneratorCpu.TotalSeconds / cpu.Wall.TotalSeconds,
            GeneratorCpuMicrosPerRequest = attempts <= 0 ? 0 : cpu.GeneratorCpu.TotalMicroseconds / attempts,
            ServerCpuPercentOfCore = cpu.ServerCpu is { } sc ? 100 * sc.TotalSeconds / cpu.Wall.TotalSeconds : null,
            StatusCounts = statuses,
            PathCounts = stats.PathCounts(),
            InTimePathCounts = stats.InTimePathCounts(),
            GoodputRps = recordedSeconds > 0 ? stats.InTimeDecided / recordedSeconds : 0,
            Tmax = stats.TmaxBuckets.Values
                .Where(b => b.Count > 0)
                .OrderBy(b => b.TmaxMs ?? int.MaxValue)
                .Select(b => new TmaxSummary(
                    b.TmaxMs is int t ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : "absent",
                    b.Count, b.Late, Ms(b.Latency.GetValueAtPercentile(99)), Ms(b.Latency.GetMaxValue())))
                .ToList(),
        };
        return new RunResult(summary, h);
    }
}
