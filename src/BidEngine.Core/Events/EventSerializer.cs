using MessagePack;

namespace BidEngine.Core.Events;

/// <summary>The MessagePack options of the event log, shared by its writer and reader.</summary>
public static class EventSerializer
{
    /// <summary>
    /// Standard resolvers with the untrusted-data limits (depth, hash-collision-resistant maps):
    /// logs are read back by tools that should not trust a file blindly.
    /// </summary>
    public static MessagePackSerializerOptions Options { get; } =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    public static byte[] Serialize(EventRecord record) => MessagePackSerializer.Serialize(record, Options);

    public static EventRecord Deserialize(ReadOnlyMemory<byte> bytes) => MessagePackSerializer.Deserialize<EventRecord>(bytes, Options);
}
