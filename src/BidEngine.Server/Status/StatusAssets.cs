namespace BidEngine.Server.Status;

/// <summary>
/// The page's three files, embedded in the server's assembly (Status/Page/) and read once: the page
/// works offline and never needs a folder beside the binary. About 25 KB together.
/// </summary>
internal sealed class StatusAssets
{
    private readonly Dictionary<string, (byte[] Bytes, string ContentType)> _files = new(StringComparer.Ordinal);

    public StatusAssets()
    {
        Add("status.html", "text/html; charset=utf-8");
        Add("status.css", "text/css; charset=utf-8");
        Add("status.js", "text/javascript; charset=utf-8");
    }

    /// <summary>Answers with one of the files; <paramref name="name"/> is one of the three above.</summary>
    public Task WriteAsync(HttpContext http, string name)
    {
        var (bytes, contentType) = _files[name];
        var response = http.Response;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;

        // Small and served from memory: always asked again, so that a new bidder's page is never stale.
        response.Headers.CacheControl = "no-cache";
        return response.Body.WriteAsync(bytes, http.RequestAborted).AsTask();
    }

    private void Add(string name, string contentType)
    {
        var resource = typeof(StatusAssets).Namespace + ".Page." + name;
        using var stream = typeof(StatusAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The server was built without its status page resource {resource}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        _files.Add(name, (copy.ToArray(), contentType));
    }
}
