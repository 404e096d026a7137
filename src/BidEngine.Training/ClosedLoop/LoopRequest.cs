using System.Text.Json;
using BidEngine.Core.Campaigns;
using BidEngine.Training.Simulation;

namespace BidEngine.Training.ClosedLoop;

/// <summary>
/// A simulated impression as the OpenRTB 2.6 bid request an exchange would send: the same fields
/// the simulator's own <c>BidRequest</c> carries (site domain or app bundle, publisher, tag id, the
/// slot's sizes and position, device type, OS, make, country, and the region and UTC offset when
/// the simulator sent them), so the bidder hashes the same features the simulator's log holds.
/// Second price (<c>at</c> 2), USD, no floor.
/// </summary>
internal static class LoopRequest
{
    public const string ImpId = "1";

    public static byte[] Write(string requestId, in SimImpression imp, SimWorld world, int tmaxMs)
    {
        using var buffer = new MemoryStream(768);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", requestId);
            json.WriteNumber("at", 2);
            json.WriteNumber("tmax", tmaxMs);
            json.WriteStartArray("cur");
            json.WriteStringValue("USD");
            json.WriteEndArray();
            json.WriteStartArray("imp");
            json.WriteStartObject();
            json.WriteString("id", ImpId);
            json.WriteString("tagid", imp.Placement.TagId);
            var sizes = imp.Placement.Sizes;
            switch (imp.Placement.Kind)
            {
                case CreativeKind.Banner:
                    json.WriteStartObject("banner");
                    json.WriteNumber("w", sizes[0].W);
                    json.WriteNumber("h", sizes[0].H);
                    json.WriteNumber("pos", imp.Placement.Pos);
                    json.WriteStartArray("format");
                    foreach (var size in sizes)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("w", size.W);
                        json.WriteNumber("h", size.H);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                case CreativeKind.Video:
                    json.WriteStartObject("video");
                    json.WriteNumber("w", sizes[0].W);
                    json.WriteNumber("h", sizes[0].H);
                    json.WriteNumber("pos", imp.Placement.Pos);
                    json.WriteStartArray("mimes");
                    json.WriteStringValue("video/mp4");
                    json.WriteEndArray();
                    json.WriteEndObject();
                    break;
                default:
                    json.WriteStartObject("native");
                    json.WriteString("ver", "1.2");
                    json.WriteString("request", "{\"ver\":\"1.2\",\"assets\":[{\"id\":1,\"required\":1,\"title\":{\"len\":90}}]}");
                    json.WriteEndObject();
                    break;
            }

            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartObject(imp.Property.IsApp ? "app" : "site");
            json.WriteString(imp.Property.IsApp ? "bundle" : "domain", imp.Property.Name);
            json.WriteStartObject("publisher");
            json.WriteString("id", imp.Property.PublisherId);
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("device");
            json.WriteNumber("devicetype", imp.Device.DeviceType);
            json.WriteString("os", imp.Device.Os);
            if (imp.Device.Make is not null)
            {
                json.WriteString("make", imp.Device.Make);
            }

            var geo = world.Countries[imp.Country];
            json.WriteStartObject("geo");
            json.WriteString("country", geo.Code);
            if (imp.RegionSent)
            {
                json.WriteString("region", geo.Regions[imp.Region]);
            }

            if (imp.OffsetSent)
            {
                json.WriteNumber("utcoffset", imp.OffsetMinutes);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
