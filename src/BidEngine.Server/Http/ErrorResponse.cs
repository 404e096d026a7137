using System.Buffers;
using System.Text.Json;

namespace BidEngine.Server.Http;

/// <summary>The short JSON body of a refused request: <c>{"error":"code","field":"...","message":"..."}</c>.</summary>
internal static class ErrorResponse
{
    public static Task WriteAsync(HttpContext http, Utf8JsonWriter writer, int status, string code, string? field, string message)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers[HttpHeaderValues.OpenRtbVersionHeader] = HttpHeaderValues.OpenRtbVersion;
        // Written aside first, so the answer carries Content-Length like every other; refusals are rare.
        var body = new ArrayBufferWriter<byte>(256);
        writer.Reset(body);
        writer.WriteStartObject();
        writer.WriteString("error"u8, code);
        if (field is not null)
        {
            writer.WriteString("field"u8, field);
        }

        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        writer.Flush();
        response.ContentLength = body.WrittenCount;
        response.BodyWriter.Write(body.WrittenSpan);
        return Task.CompletedTask;
    }
}
