using BidEngine.Server.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace BidEngine.Server.Hosting;

/// <summary>Kestrel's limits, each set on purpose for exchange traffic.</summary>
internal static class KestrelLimits
{
    public static void Apply(KestrelServerLimits limits, HttpOptions http)
    {
        // The endpoint refuses bodies over MaxBodyBytes with its own JSON 413; Kestrel's limit sits
        // above that only as a backstop for bodies that never say their length.
        limits.MaxRequestBodySize = (long)http.MaxBodyBytes * 2;

        // Exchanges keep a few hundred connections per bidder open; 10k caps a runaway client.
        limits.MaxConcurrentConnections = 10_000;

        // Exchanges reuse connections for minutes; closing idle ones after 2 minutes frees them
        // without forcing reconnects mid-burst.
        limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);

        // A request whose headers take longer than this cannot be answered in any auction window.
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(5);

        // A body trickling in slower than 1 KiB/s after a 2 s grace (Kestrel allows no shorter) cannot make any auction window;
        // the default (240 B/s after 5 s) would hold a connection and a context for seconds.
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(2));
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(2));

        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestLineSize = 8 * 1024;
    }
}
