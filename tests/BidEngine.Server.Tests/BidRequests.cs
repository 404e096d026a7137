using System.Net.Http.Headers;
using System.Text;

namespace BidEngine.Server.Tests;

internal static class BidRequests
{
    public static HttpRequestMessage Post(byte[] body, string? contentEncoding = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (contentEncoding is not null)
        {
            content.Headers.ContentEncoding.Add(contentEncoding);
        }

        return new HttpRequestMessage(HttpMethod.Post, "/openrtb2/bid") { Content = content };
    }

    public static HttpRequestMessage Post(string json) => Post(Encoding.UTF8.GetBytes(json));

    /// <summary>A request the sample campaigns bid on: a 300x250 banner in the USA on a phone.</summary>
    public const string Banner = """
        {"id":"req-1","tmax":200,"cur":["USD"],
         "imp":[{"id":"imp-1","banner":{"w":300,"h":250},"bidfloor":0.10}],
         "site":{"id":"s1","domain":"news.example","publisher":{"id":"p1"}},
         "device":{"devicetype":4,"os":"iOS","geo":{"country":"USA"}}}
        """;
}
