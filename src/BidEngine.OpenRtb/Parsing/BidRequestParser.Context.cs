using System.Text.Json;
using BidEngine.OpenRtb.Request;

namespace BidEngine.OpenRtb.Parsing;

/// <summary>The objects around the imps: site, app, device, user, regs and source.</summary>
public static partial class BidRequestParser
{
    private static void ReadSite(ref Utf8JsonReader reader, BidRequest request, ParserLimits limits)
    {
        if (!EnterObject(ref reader, "site", strict: true))
        {
            return;
        }

        var site = request.Site;
        var text = request.Text;
        site.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                site.Id = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("domain"u8))
            {
                site.Domain = ReadString(ref reader, text, "site.domain");
            }
            else if (name.SequenceEqual("page"u8))
            {
                site.Page = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("cat"u8))
            {
                ReadStringArray(ref reader, text, site.Cat, "site.cat", limits);
            }
            else if (name.SequenceEqual("publisher"u8))
            {
                site.PublisherId = ReadPublisherId(ref reader, request, "site.publisher");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadApp(ref Utf8JsonReader reader, BidRequest request, ParserLimits limits)
    {
        if (!EnterObject(ref reader, "app", strict: true))
        {
            return;
        }

        var app = request.App;
        var text = request.Text;
        app.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                app.Id = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("bundle"u8))
            {
                app.Bundle = ReadString(ref reader, text, "app.bundle");
            }
            else if (name.SequenceEqual("domain"u8))
            {
                app.Domain = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("cat"u8))
            {
                ReadStringArray(ref reader, text, app.Cat, "app.cat", limits);
            }
            else if (name.SequenceEqual("publisher"u8))
            {
                app.PublisherId = ReadPublisherId(ref reader, request, "app.publisher");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static Text.Utf8Slice ReadPublisherId(ref Utf8JsonReader reader, BidRequest request, string field)
    {
        Text.Utf8Slice id = default;
        if (!EnterObject(ref reader, field, strict: false))
        {
            return id;
        }

        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                id = ReadStringLenient(ref reader, request.Text);
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return id;
    }

    private static void ReadDevice(ref Utf8JsonReader reader, BidRequest request)
    {
        if (!EnterObject(ref reader, "device", strict: true))
        {
            return;
        }

        var device = request.Device;
        var text = request.Text;
        device.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("ua"u8))
            {
                device.Ua = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("ip"u8))
            {
                device.Ip = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("ipv6"u8))
            {
                device.Ipv6 = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("devicetype"u8))
            {
                device.DeviceType = ReadInt(ref reader, "device.devicetype");
            }
            else if (name.SequenceEqual("os"u8))
            {
                device.Os = ReadString(ref reader, text, "device.os");
            }
            else if (name.SequenceEqual("osv"u8))
            {
                device.Osv = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("make"u8))
            {
                device.Make = ReadString(ref reader, text, "device.make");
            }
            else if (name.SequenceEqual("model"u8))
            {
                device.Model = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("language"u8))
            {
                device.Language = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("ifa"u8))
            {
                device.Ifa = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("lmt"u8))
            {
                device.Lmt = ReadIntLenient(ref reader, 0) == 1;
            }
            else if (name.SequenceEqual("geo"u8))
            {
                ReadGeo(ref reader, request, device.Geo, "device.geo", "device.geo.country");
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <remarks>Field names come in whole: building them here would allocate on every request.</remarks>
    private static void ReadGeo(ref Utf8JsonReader reader, BidRequest request, Geo geo, string field, string countryField)
    {
        if (!EnterObject(ref reader, field, strict: true))
        {
            return;
        }

        var text = request.Text;
        geo.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("country"u8))
            {
                geo.Country = ReadString(ref reader, text, countryField);
            }
            else if (name.SequenceEqual("region"u8))
            {
                geo.Region = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("city"u8))
            {
                geo.City = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("lat"u8))
            {
                geo.Lat = ReadDoubleLenient(ref reader);
            }
            else if (name.SequenceEqual("lon"u8))
            {
                geo.Lon = ReadDoubleLenient(ref reader);
            }
            else if (name.SequenceEqual("utcoffset"u8))
            {
                var offset = ReadIntLenient(ref reader, int.MinValue);
                geo.UtcOffset = offset is >= -24 * 60 and <= 24 * 60 ? offset : null;
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadUser(ref Utf8JsonReader reader, BidRequest request)
    {
        if (!EnterObject(ref reader, "user", strict: true))
        {
            return;
        }

        var user = request.User;
        var text = request.Text;
        user.Present = true;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("id"u8))
            {
                user.Id = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("buyeruid"u8))
            {
                user.BuyerUid = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("yob"u8))
            {
                user.Yob = ReadIntLenient(ref reader, 0);
            }
            else if (name.SequenceEqual("gender"u8))
            {
                user.Gender = ReadStringLenient(ref reader, text);
            }
            else if (name.SequenceEqual("geo"u8))
            {
                ReadGeo(ref reader, request, user.Geo, "user.geo", "user.geo.country");
            }
            else if (name.SequenceEqual("consent"u8))
            {
                // 2.6 wins over 2.5's user.ext.consent, in whichever order they come.
                user.Consent = ReadStringLenient(ref reader, text);
                user.ConsentFromExt = false;
            }
            else if (name.SequenceEqual("ext"u8))
            {
                ReadUserExt(ref reader, request);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <summary>OpenRTB 2.5 carried the TCF string as <c>user.ext.consent</c>; a 2.6 <c>user.consent</c> wins.</summary>
    private static void ReadUserExt(ref Utf8JsonReader reader, BidRequest request)
    {
        if (!EnterObject(ref reader, "user.ext", strict: false))
        {
            return;
        }

        var user = request.User;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("consent"u8))
            {
                var consent = ReadStringLenient(ref reader, request.Text);
                if (!user.Consent.HasValue || user.ConsentFromExt)
                {
                    user.Consent = consent;
                    user.ConsentFromExt = consent.HasValue;
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadRegs(ref Utf8JsonReader reader, BidRequest request)
    {
        if (!EnterObject(ref reader, "regs", strict: true))
        {
            return;
        }

        var regs = request.Regs;
        var text = request.Text;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("coppa"u8))
            {
                regs.Coppa = ReadInt(ref reader, "regs.coppa") == 1;
            }
            else if (name.SequenceEqual("gdpr"u8))
            {
                regs.Gdpr = ReadInt(ref reader, "regs.gdpr");
            }
            else if (name.SequenceEqual("us_privacy"u8))
            {
                regs.UsPrivacy = ReadString(ref reader, text, "regs.us_privacy");
            }
            else if (name.SequenceEqual("gpp"u8))
            {
                regs.Gpp = ReadString(ref reader, text, "regs.gpp");
            }
            else if (name.SequenceEqual("gpp_sid"u8))
            {
                ReadGppSid(ref reader, regs);
            }
            else if (name.SequenceEqual("ext"u8))
            {
                ReadRegsExt(ref reader, request);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <summary>
    /// <c>regs.gpp_sid</c>, an array of section ids, into a bit set: no list is kept. Read leniently
    /// (a privacy signal in a bad shape must not refuse the request): a value that is not an array is
    /// skipped, items that are not integers in 1..63 are ignored.
    /// </summary>
    private static void ReadGppSid(ref Utf8JsonReader reader, Regs regs)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        ulong sids = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Number && JsonNumbers.TryGetInt32(ref reader, out var id) && id is >= 1 and <= 63)
            {
                sids |= 1UL << id;
            }
            else
            {
                reader.Skip();
            }
        }

        regs.GppSid = sids;
        regs.HasGppSid = true;
    }

    /// <summary>OpenRTB 2.5 carried GDPR and CCPA signals in <c>regs.ext</c>; a 2.6 top-level value wins.</summary>
    private static void ReadRegsExt(ref Utf8JsonReader reader, BidRequest request)
    {
        if (!EnterObject(ref reader, "regs.ext", strict: false))
        {
            return;
        }

        var regs = request.Regs;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("gdpr"u8))
            {
                var gdpr = ReadIntLenient(ref reader, -1);
                if (regs.Gdpr < 0)
                {
                    regs.Gdpr = gdpr;
                }
            }
            else if (name.SequenceEqual("us_privacy"u8))
            {
                var usPrivacy = ReadStringLenient(ref reader, request.Text);
                if (!regs.UsPrivacy.HasValue)
                {
                    regs.UsPrivacy = usPrivacy;
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadSource(ref Utf8JsonReader reader, BidRequest request)
    {
        if (!EnterObject(ref reader, "source", strict: true))
        {
            return;
        }

        var source = request.Source;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("tid"u8))
            {
                source.Tid = ReadStringLenient(ref reader, request.Text);
            }
            else if (name.SequenceEqual("schain"u8))
            {
                ReadSchain(ref reader, request);
            }
            else if (name.SequenceEqual("ext"u8))
            {
                // 2.5 form: source.ext.schain.
                if (!EnterObject(ref reader, "source.ext", strict: false))
                {
                    continue;
                }

                while (NextProperty(ref reader))
                {
                    var inner = PropertyName(ref reader);
                    if (inner.SequenceEqual("schain"u8) && !source.HasSchain)
                    {
                        ReadSchain(ref reader, request);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <summary>
    /// <c>source.schain</c> (or 2.5's <c>source.ext.schain</c>): <c>complete</c>, and each node's
    /// <c>asi</c>, <c>sid</c> and <c>hp</c>, read leniently (a supply chain in a bad shape is for the
    /// supply checks to judge, not a reason to refuse the request). A second chain replaces the first.
    /// </summary>
    private static void ReadSchain(ref Utf8JsonReader reader, BidRequest request)
    {
        if (!EnterObject(ref reader, "source.schain", strict: false))
        {
            return;
        }

        var source = request.Source;
        source.HasSchain = true;
        source.SchainComplete = false;
        source.SchainNodes = 0;
        source.Nodes.Clear();
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("complete"u8))
            {
                source.SchainComplete = ReadIntLenient(ref reader, 0) == 1;
            }
            else if (name.SequenceEqual("nodes"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                var nodes = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    nodes++;
                    if (source.Nodes.Count < Source.MaxKeptNodes)
                    {
                        source.Nodes.Add(ReadSchainNode(ref reader, request));
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                source.SchainNodes = nodes;
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <summary>One node, the reader on its first token; anything but an object is an empty node.</summary>
    private static SchainNode ReadSchainNode(ref Utf8JsonReader reader, BidRequest request)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new SchainNode(default, default, -1);
        }

        Text.Utf8Slice asi = default, sid = default;
        var hp = -1;
        while (NextProperty(ref reader))
        {
            var name = PropertyName(ref reader);
            if (name.SequenceEqual("asi"u8))
            {
                asi = ReadStringLenient(ref reader, request.Text);
            }
            else if (name.SequenceEqual("sid"u8))
            {
                sid = ReadStringLenient(ref reader, request.Text);
            }
            else if (name.SequenceEqual("hp"u8))
            {
                hp = ReadIntLenient(ref reader, -1) is var value and (0 or 1) ? value : -1;
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return new SchainNode(asi, sid, hp);
    }
}
