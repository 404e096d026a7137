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
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                request.Id = ReadString(ref reader, text, "id");
            }
            else if (name.SequenceEqual("imp"u8))
            {
                ReadImps(ref reader, request, limits);
            }
            else if (name.SequenceEqual("tmax"u8))
            {
                request.Tmax = Math.Max(0, ReadInt(ref reader, "tmax"));
            }
            else if (name.SequenceEqual("at"u8))
            {
                request.AuctionType = ReadIntLenient(ref reader, 2);
            }
            else if (name.SequenceEqual("test"u8))
            {
                request.Test = ReadIntLenient(ref reader, 0) == 1;
            }
            else if (name.SequenceEqual("cur"u8))
            {
                ReadStringArray(ref reader, text, request.Cur, "cur", limits);
            }
            else if (name.SequenceEqual("bcat"u8))
            {
                ReadStringArray(ref reader, text, request.Bcat, "bcat", limits);
            }
            else if (name.SequenceEqual("badv"u8))
            {
                ReadStringArray(ref reader, text, request.Badv, "badv", limits);
            }
            else if (name.SequenceEqual("bapp"u8))
            {
                ReadStringArray(ref reader, text, request.Bapp, "bapp", limits);
            }
            else if (name.SequenceEqual("wseat"u8))
            {
                ReadStringArray(ref reader, text, request.Wseat, "wseat", limits);
            }
            else if (name.SequenceEqual("bseat"u8))
            {
                ReadStringArray(ref reader, text, request.Bseat, "bseat", limits);
            }
            else if (name.SequenceEqual("site"u8))
            {
                ReadSite(ref reader, request, limits);
            }
            else if (name.SequenceEqual("app"u8))
            {
                ReadApp(ref reader, request, limits);
            }
            else if (name.SequenceEqual("device"u8))
            {
                ReadDevice(ref reader, request);
            }
            else if (name.SequenceEqual("user"u8))
            {
                ReadUser(ref reader, request);
            }
            else if (name.SequenceEqual("regs"u8))
            {
                ReadRegs(ref reader, request);
            }
            else if (name.SequenceEqual("source"u8))
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
