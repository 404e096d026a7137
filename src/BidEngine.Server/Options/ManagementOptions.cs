namespace BidEngine.Server.Options;

/// <summary>
/// The listener for people and their tools, apart from the one exchanges send bids to: <c>/metrics</c>,
/// the status page and every admin endpoint answer only there (404 on the bid port), so that whoever
/// can reach the bid port cannot read the business. <c>/healthz</c> and <c>/readyz</c> answer on both.
/// Bound from <c>BidEngine:Management</c>.
/// </summary>
public sealed class ManagementOptions
{
    /// <summary>
    /// One <c>http://host:port</c> with a port of its own (not 0, and not a bid port). Loopback by
    /// default: open it wider (say <c>http://0.0.0.0:5001</c>) only on a network people and Prometheus
    /// reach and exchanges do not.
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:5001";

    /// <summary>The port <see cref="Url"/> names, or null when it names none that can be used.</summary>
    public int? Port => Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Port is > 0 and < 65536 && !uri.IsDefaultPort && uri.AbsolutePath == "/" ? uri.Port : null;

    public IEnumerable<string> Validate()
    {
        if (Port is null)
        {
            yield return $"BidEngine:Management:Url '{Url}' must be one http://host:port with a port of its own (1 to 65535), nothing after the port";
        }
    }
}
