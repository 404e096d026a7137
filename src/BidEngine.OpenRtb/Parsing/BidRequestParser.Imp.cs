using System.Text.Json;
using BidEngine.OpenRtb.Request;

namespace BidEngine.OpenRtb.Parsing;

public static partial class BidRequestParser
{
    private static void ReadImps(ref Utf8JsonReader reader, BidRequest request, ParserLimits limits)
    {
        if (!EnterArray(ref reader, "imp"))
        {
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw WrongType("imp[]", "an object", reader.TokenType);
            }

            if (request.Imps.Count == limits.MaxImps)
            {
                ThrowTooMany("imp", limits.MaxImps);
            }

            ReadImp(ref reader, request, request.Imps.Add(), limits);
        }
    }

    private static void ReadImp(ref Utf8JsonReader reader, BidRequest request, Imp imp, ParserLimits limits)
    {
        var text = request.Text;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                imp.Id = ReadString(ref reader, text, "imp[].id");
            }
            else if (name.SequenceEqual("banner"u8))
            {
                ReadBanner(ref reader, imp.Banner, limits);
            }
            else if (name.SequenceEqual("video"u8))
            {
                ReadVideo(ref reader, request, imp.Video, limits);
            }
            else if (name.SequenceEqual("native"u8))
            {
                ReadNative(ref reader, request, imp.Native);
            }
            else if (name.SequenceEqual("audio"u8))
            {
                ReadAudio(ref reader, request, imp.Audio, limits);
            }
            else if (name.SequenceEqual("pmp"u8))
            {
                ReadPmp(ref reader, request, imp.Pmp, limits);
            }
            else if (name.SequenceEqual("bidfloor"u8))
            {
                imp.BidFloor = Math.Max(0, ReadDouble(ref reader, "imp[].bidfloor"));
            }
            else if (name.SequenceEqual("bidfloorcur"u8))
            {
                imp.BidFloorCur = ReadString(ref reader, text, "imp[].bidfloorcur");
            }
            else if (name.SequenceEqual("tagid"u8))
            {
                imp.TagId = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("instl"u8))
            {
                imp.Instl = ReadIntLenient(ref reader, 0) == 1;
            }
            else if (name.SequenceEqual("secure"u8))
            {
                imp.Secure = ReadIntLenient(ref reader, -1);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadBanner(ref Utf8JsonReader reader, Banner banner, ParserLimits limits)
    {
        if (!EnterObject(ref reader, "imp[].banner", strict: true))
        {
            return;
        }

        banner.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("w"u8))
            {
                banner.W = ReadInt(ref reader, "imp[].banner.w");
            }
            else if (name.SequenceEqual("h"u8))
            {
                banner.H = ReadInt(ref reader, "imp[].banner.h");
            }
            else if (name.SequenceEqual("format"u8))
            {
                ReadFormats(ref reader, banner, limits);
            }
            else if (name.SequenceEqual("pos"u8))
            {
                banner.Pos = ReadIntLenient(ref reader, 0);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadFormats(ref Utf8JsonReader reader, Banner banner, ParserLimits limits)
    {
        if (!EnterArray(ref reader, "imp[].banner.format"))
        {
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw WrongType("imp[].banner.format[]", "an object", reader.TokenType);
            }

            int w = 0, h = 0;
            while (NextProperty(ref reader))
            {
                var name = PropertyName(ref reader);
                if (name.SequenceEqual("w"u8))
                {
                    w = ReadInt(ref reader, "imp[].banner.format[].w");
                }
                else if (name.SequenceEqual("h"u8))
                {
                    h = ReadInt(ref reader, "imp[].banner.format[].h");
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            if (banner.Formats.Count == limits.MaxArrayItems)
            {
                ThrowTooMany("imp[].banner.format", limits.MaxArrayItems);
            }

            // Formats given as ratios (wratio/hratio) have no fixed size; they cannot match a fixed creative.
            if (w > 0 && h > 0)
            {
                banner.Formats.Add(new Format(w, h));
            }
        }
    }

    private static void ReadVideo(ref Utf8JsonReader reader, BidRequest request, Video video, ParserLimits limits)
    {
        if (!EnterObject(ref reader, "imp[].video", strict: true))
        {
            return;
        }

        video.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("w"u8))
            {
                video.W = ReadInt(ref reader, "imp[].video.w");
            }
            else if (name.SequenceEqual("h"u8))
            {
                video.H = ReadInt(ref reader, "imp[].video.h");
            }
            else if (name.SequenceEqual("mimes"u8))
            {
                ReadStringArray(ref reader, request.Text, video.Mimes, "imp[].video.mimes", limits);
            }
            else if (name.SequenceEqual("minduration"u8))
            {
                video.MinDuration = ReadInt(ref reader, "imp[].video.minduration");
            }
            else if (name.SequenceEqual("maxduration"u8))
            {
                video.MaxDuration = ReadInt(ref reader, "imp[].video.maxduration");
            }
            else if (name.SequenceEqual("placement"u8))
            {
                video.Placement = ReadIntLenient(ref reader, 0);
            }
            else if (name.SequenceEqual("plcmt"u8))
            {
                video.Plcmt = ReadIntLenient(ref reader, 0);
            }
            else if (name.SequenceEqual("pos"u8))
            {
                video.Pos = ReadIntLenient(ref reader, 0);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadNative(ref Utf8JsonReader reader, BidRequest request, Native native)
    {
        if (!EnterObject(ref reader, "imp[].native", strict: true))
        {
            return;
        }

        native.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("request"u8))
            {
                // The spec says a JSON-encoded string; some exchanges send the object itself. The
                // bidder only needs to know that a native slot exists, so both are accepted.
                native.Request = ReadStringLenient(ref reader, request.Text);
            }
            else if (name.SequenceEqual("ver"u8))
            {
                native.Ver = ReadStringLenient(ref reader, request.Text);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadAudio(ref Utf8JsonReader reader, BidRequest request, Audio audio, ParserLimits limits)
    {
        if (!EnterObject(ref reader, "imp[].audio", strict: true))
        {
            return;
        }

        audio.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("mimes"u8))
            {
                ReadStringArray(ref reader, request.Text, audio.Mimes, "imp[].audio.mimes", limits);
            }
            else if (name.SequenceEqual("minduration"u8))
            {
                audio.MinDuration = ReadInt(ref reader, "imp[].audio.minduration");
            }
            else if (name.SequenceEqual("maxduration"u8))
            {
                audio.MaxDuration = ReadInt(ref reader, "imp[].audio.maxduration");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadPmp(ref Utf8JsonReader reader, BidRequest request, Pmp pmp, ParserLimits limits)
    {
        if (!EnterObject(ref reader, "imp[].pmp", strict: true))
        {
            return;
        }

        pmp.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("private_auction"u8))
            {
                pmp.PrivateAuction = ReadIntLenient(ref reader, 0) == 1;
            }
            else if (name.SequenceEqual("deals"u8))
            {
                if (!EnterArray(ref reader, "imp[].pmp.deals"))
                {
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw WrongType("imp[].pmp.deals[]", "an object", reader.TokenType);
                    }

                    if (pmp.Deals.Count == limits.MaxArrayItems)
                    {
                        ThrowTooMany("imp[].pmp.deals", limits.MaxArrayItems);
                    }

                    ReadDeal(ref reader, request, pmp.Deals.Add(), limits);
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadDeal(ref Utf8JsonReader reader, BidRequest request, Deal deal, ParserLimits limits)
    {
        var text = request.Text;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                deal.Id = ReadString(ref reader, text, "imp[].pmp.deals[].id");
            }
            else if (name.SequenceEqual("bidfloor"u8))
            {
                deal.BidFloor = Math.Max(0, ReadDouble(ref reader, "imp[].pmp.deals[].bidfloor"));
            }
            else if (name.SequenceEqual("bidfloorcur"u8))
            {
                deal.BidFloorCur = ReadString(ref reader, text, "imp[].pmp.deals[].bidfloorcur");
            }
            else if (name.SequenceEqual("at"u8))
            {
                deal.AuctionType = ReadIntLenient(ref reader, 0);
            }
            else if (name.SequenceEqual("wseat"u8))
            {
                ReadStringArray(ref reader, text, deal.Wseat, "imp[].pmp.deals[].wseat", limits);
            }
            else if (name.SequenceEqual("wadomain"u8))
            {
                ReadStringArray(ref reader, text, deal.Wadomain, "imp[].pmp.deals[].wadomain", limits);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }
}
