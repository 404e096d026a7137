using System.Net;

namespace BidEngine.LoadTests.Targets;

/// <summary>Load tests only ever aim at this machine: anything but loopback is refused.</summary>
public static class TargetUri
{
    public static Uri ParseLoopback(string target)
    {
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"--target must be an http:// URL on loopback, 'floor', 'floor-inproc' or 'self' (got '{target}').");
        }

        if (!IsLoopback(uri.Host))
        {
            throw new ArgumentException($"Refusing target host '{uri.Host}': load tests only run against 127.0.0.1, ::1 or localhost.");
        }

        return uri;
    }

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    public static IPEndPoint EndPoint(Uri uri)
    {
        var ip = string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.Parse(uri.Host.Trim('[', ']'));
        return new IPEndPoint(ip, uri.Port);
    }
}
