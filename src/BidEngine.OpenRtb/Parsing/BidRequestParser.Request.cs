using System.Text.Json;
using BidEngine.OpenRtb.Request;

namespace BidEngine.OpenRtb.Parsing;

public static partial class BidRequestParser
{
    private static void ReadRequest(ref Utf8JsonReader reader, BidRequest request, ParserLimits limits)
    {
        var text = request.Text;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("id"u8))
            {
                request.Id = ReadString(ref reader, text, "id");
            }
            else if (reader.ValueTextEquals("imp"u8))
            {
                ReadImps(ref reader, request, limits);
            }
            else if (reader.ValueTextEquals("tmax"u8))
            {
                request.Tmax = Math.Max(0, ReadInt(ref reader, "tmax"));
            }
            else if (reader.ValueTextEquals("at"u8))
            {
                request.AuctionType = ReadIntLenient(ref reader, 2);
            }
            else if (reader.ValueTextEquals("test"u8))
            {
                request.Test = ReadIntLenient(ref reader, 0) == 1;
            }
            else if (reader.ValueTextEquals("cur"u8))
            {
                ReadStringArray(ref reader, text, request.Cur, "cur", limits);
            }
            else if (reader.ValueTextEquals("bcat"u8))
            {
                ReadStringArray(ref reader, text, request.Bcat, "bcat", limits);
            }
            else if (reader.ValueTextEquals("badv"u8))
            {
                ReadStringArray(ref reader, text, request.Badv, "badv", limits);
            }
            else if (reader.ValueTextEquals("bapp"u8))
            {
                ReadStringArray(ref reader, text, request.Bapp, "bapp", limits);
            }
            else if (reader.ValueTextEquals("wseat"u8))
            {
                ReadStringArray(ref reader, text, request.Wseat, "wseat", limits);
            }
            else if (reader.ValueTextEquals("bseat"u8))
            {
                ReadStringArray(ref reader, text, request.Bseat, "bseat", limits);
            }
            else if (reader.ValueTextEquals("site"u8))
            {
                ReadSite(ref reader, request, limits);
            }
            else if (reader.ValueTextEquals("app"u8))
            {
                ReadApp(ref reader, request, limits);
            }
            else if (reader.ValueTextEquals("device"u8))
            {
                ReadDevice(ref reader, request);
            }
            else if (reader.ValueTextEquals("user"u8))
            {
                ReadUser(ref reader, request);
            }
            else if (reader.ValueTextEquals("regs"u8))
            {
                ReadRegs(ref reader, request);
            }
            else if (reader.ValueTextEquals("source"u8))
            {
                ReadSource(ref reader, request);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }
}
