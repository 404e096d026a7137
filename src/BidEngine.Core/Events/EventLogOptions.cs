namespace BidEngine.Core.Events;

/// <summary>The bid log: where and how the server writes its event records. Bound from <c>BidEngine:EventLog</c>; each setting is in the README.</summary>
public sealed class EventLogOptions
{
    /// <summary>The folder of log files; empty (the default) turns the log off.</summary>
    public string Folder { get; set; } = "";

    /// <summary>A file is closed and the next begun once it would pass this size.</summary>
    public long MaxFileBytes { get; set; } = 64L << 20;

    /// <summary>A file is closed and the next begun once it is this old, even if small: a trainer picks up closed files.</summary>
    public int MaxFileAgeSeconds { get; set; } = 3600;

    /// <summary>Oldest files are deleted once the folder's files together pass this size; 0 keeps everything.</summary>
    public long MaxTotalBytes { get; set; }

    /// <summary>Records that may wait for the writer; past this, records are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>How often the writer hands what it wrote to the OS: the most a <c>kill -9</c> can lose.</summary>
    public int FlushIntervalMs { get; set; } = 1000;

    /// <summary>Share of requests with bids whose bid records are kept (0..1), chosen by a hash of the request id.</summary>
    public double SampleBids { get; set; } = 1;

    /// <summary>Share of requests answered without a bid that get a no-bid record (0..1), by the same hash.</summary>
    public double SampleNoBids { get; set; }

    /// <summary>
    /// Share of requests the traffic step refused (bots, data-centre addresses, bursts, unauthorised
    /// sellers) that get a no-bid record with the reason, by the same hash, in place of <see cref="SampleNoBids"/>.
    /// Such traffic comes in floods: 1% keeps the log's queue for bids; 1 logs every refusal.
    /// </summary>
    public double SampleTrafficRefusals { get; set; } = 0.01;

    /// <summary>
    /// This bidder's name in a fleet (letters, digits, '-' and '_', at most 64): its files are named
    /// <c>events-{time}-{seq}.{node}.msgpack</c>, so that many nodes' logs can be gathered in one
    /// place and read in time order, and the size limit deletes only this node's files. Empty: the
    /// bidder owns its folder (unnamed files; it trims only unnamed ones).
    /// </summary>
    public string Node { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(Folder);

    public IEnumerable<string> Validate()
    {
        if (MaxFileBytes is < 4096 or > (1L << 40))
        {
            yield return "BidEngine:EventLog:MaxFileBytes must be between 4096 and 1099511627776";
        }

        if (MaxFileAgeSeconds is < 1 or > 7 * 86_400)
        {
            yield return "BidEngine:EventLog:MaxFileAgeSeconds must be between 1 and 604800";
        }

        if (MaxTotalBytes < 0 || (MaxTotalBytes > 0 && MaxTotalBytes < MaxFileBytes))
        {
            yield return "BidEngine:EventLog:MaxTotalBytes must be 0 (keep all) or at least BidEngine:EventLog:MaxFileBytes";
        }

        if (QueueCapacity is < 16 or > (1 << 22))
        {
            yield return "BidEngine:EventLog:QueueCapacity must be between 16 and 4194304";
        }

        if (FlushIntervalMs is < 10 or > 60_000)
        {
            yield return "BidEngine:EventLog:FlushIntervalMs must be between 10 and 60000";
        }

        if (Node.Length > 64 || !Node.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            yield return "BidEngine:EventLog:Node must be at most 64 letters, digits, '-' or '_'";
        }

        if (!double.IsFinite(SampleBids) || SampleBids is < 0 or > 1)
        {
            yield return "BidEngine:EventLog:SampleBids must be between 0 and 1";
        }

        if (!double.IsFinite(SampleNoBids) || SampleNoBids is < 0 or > 1)
        {
            yield return "BidEngine:EventLog:SampleNoBids must be between 0 and 1";
        }

        if (!double.IsFinite(SampleTrafficRefusals) || SampleTrafficRefusals is < 0 or > 1)
        {
            yield return "BidEngine:EventLog:SampleTrafficRefusals must be between 0 and 1";
        }

        if (Enabled)
        {
            string? problem = null;
            try
            {
                Directory.CreateDirectory(Folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                problem = e.Message;
            }

            if (problem is not null)
            {
                yield return $"BidEngine:EventLog:Folder '{Folder}' cannot be created: {problem}";
            }
        }
    }
}
