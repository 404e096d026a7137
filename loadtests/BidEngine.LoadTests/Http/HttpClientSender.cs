using System.Net.Http.Headers;
using BidEngine.LoadTests.Corpus;

namespace BidEngine.LoadTests.Http;

/// <summary>
/// The same requests through HttpClient (SocketsHttpHandler, HTTP/1.1 keep-alive, at most C
/// connections): a cross-check of the raw client and the yardstick its CPU saving is measured against.
/// </summary>
public sealed class HttpClientSenderFactory : ISenderFactory
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _client;
    private readonly Uri _uri;

    public HttpClientSenderFactory(Uri uri, int connections)
    {
        _uri = uri;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            DefaultRequestVersion = System.Net.HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan, // the runner cancels on its own deadline
        };
    }

    public IRequestSender CreateSender() => new Sender(this);

    public void Dispose() => _client.Dispose();

    private sealed class Sender(HttpClientSenderFactory owner) : IRequestSender
    {
        public ValueTask ConnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async ValueTask<ResponseInfo> SendAsync(PreparedRequest request, CancellationToken cancellationToken)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, owner._uri);
            var content = new ByteArrayContent(request.Body);
            content.Headers.ContentType = Json;
            if (request.Gzip)
            {
                content.Headers.ContentEncoding.Add("gzip");
            }

            message.Content = content;
            message.Headers.TryAddWithoutValidation("x-openrtb-version", "2.6");
            using var response = await owner._client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var path = PathTag.Absent;
            if (response.Headers.TryGetValues("x-bidengine-path", out var values))
            {
                path = PathTags.Parse(System.Text.Encoding.ASCII.GetBytes(values.First()));
            }

            return new ResponseInfo((int)response.StatusCode, path);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
