namespace BidEngine.LoadTests.Http;

/// <summary>The server's answer was not HTTP/1.1 this client understands, or the connection closed mid-answer.</summary>
public sealed class BadResponseException(string message) : IOException(message);
