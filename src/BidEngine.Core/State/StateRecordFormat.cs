using MessagePack;

namespace BidEngine.Core.State;

/// <summary>
/// One <see cref="StateRecord"/> as MessagePack: an array of its kind and only the fields that kind
/// uses, so a reservation costs about 30 bytes. Stored on disk: add kinds, never change one.
/// </summary>
internal static class StateRecordFormat
{
    public static void Write(ref MessagePackWriter writer, in StateRecord r)
    {
        switch (r.Kind)
        {
            case StateRecordKind.ShadingWin or StateRecordKind.ShadingLoss:
                writer.WriteArrayHeader(7);
                writer.Write((byte)r.Kind);
                writer.Write(r.CampaignId);
                writer.Write(r.Extra);
                writer.Write(r.UtcTicks);
                writer.Write(r.A);
                writer.Write(r.B);
                writer.Write(r.C);
                break;
            default:
                writer.WriteArrayHeader(6);
                writer.Write((byte)r.Kind);
                writer.Write(r.CampaignId);
                writer.Write(r.BidId);
                writer.Write(r.Amount);
                writer.Write(r.Extra);
                writer.Write(r.UtcTicks);
                break;
        }
    }

    public static StateRecord Read(ref MessagePackReader reader)
    {
        var fields = reader.ReadArrayHeader();
        var record = new StateRecord { Kind = (StateRecordKind)reader.ReadByte(), CampaignId = reader.ReadString() };
        if (fields == 7)
        {
            record.Extra = reader.ReadInt64();
            record.UtcTicks = reader.ReadInt64();
            record.A = reader.ReadDouble();
            record.B = reader.ReadDouble();
            record.C = reader.ReadDouble();
            return record;
        }

        record.BidId = reader.ReadInt64();
        record.Amount = reader.ReadInt64();
        record.Extra = reader.ReadInt64();
        record.UtcTicks = reader.ReadInt64();
        for (var i = 6; i < fields; i++)
        {
            reader.Skip();
        }

        return record;
    }
}
