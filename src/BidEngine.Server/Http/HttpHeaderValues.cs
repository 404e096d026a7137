using Microsoft.Extensions.Primitives;

namespace BidEngine.Server.Http;

/// <summary>Header values set on every answer, made once so that setting them allocates nothing.</summary>
internal static class HttpHeaderValues
{
    public const string OpenRtbVersionHeader = "x-openrtb-version";
    public const string PathHeader = "x-bidengine-path";

    public static readonly StringValues OpenRtbVersion = new("2.6");
    public static readonly StringValues Json = new("application/json");
    public static readonly StringValues Gzip = new("gzip");
    public static readonly StringValues AcceptEncodingVary = new("Accept-Encoding");

    public static readonly StringValues PathModel = new("model");
    public static readonly StringValues PathHeuristic = new("heuristic");
    public static readonly StringValues PathNone = new("none");
    public static readonly StringValues PathShed = new("shed");
    public static readonly StringValues PathNoCandidates = new("no-candidates");
    public static readonly StringValues PathRefused = new("refused");

    /// <summary>True when the header lists gzip with a non-zero weight.</summary>
    public static bool AcceptsGzip(StringValues acceptEncoding)
    {
        foreach (var value in acceptEncoding)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var part in value.AsSpan().Split(','))
            {
                var item = value.AsSpan()[part].Trim();
                var semicolon = item.IndexOf(';');
                var name = (semicolon < 0 ? item : item[..semicolon]).Trim();
                if (!name.Equals("gzip", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var parameters = semicolon < 0 ? default : item[(semicolon + 1)..].Trim();
                return !(parameters.StartsWith("q=0", StringComparison.OrdinalIgnoreCase) && !parameters.ContainsAnyInRange('1', '9'));
            }
        }

        return false;
    }
}
