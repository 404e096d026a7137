using BidEngine.LoadTests.Corpus;

namespace BidEngine.LoadTests.Http;

/// <summary>One worker's way of sending: the raw client gives each worker its own connection.</summary>
public interface IRequestSender : IAsyncDisposable
{
    ValueTask ConnectAsync(CancellationToken cancellationToken);

    ValueTask<ResponseInfo> SendAsync(PreparedRequest request, CancellationToken cancellationToken);
}

/// <summary>Makes one sender per worker (connection).</summary>
public interface ISenderFactory : IDisposable
{
    IRequestSender CreateSender();
}
