using System.Buffers;
using System.Text.Json;

namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>
/// A JSON document as a tree that keeps every token's raw bytes, so that structural mutations
/// (duplicate or reordered keys, a value of another type) can be made and written back without
/// normalising anything else: escapes, odd numbers and duplicate keys survive the round trip.
/// A leaf may hold any bytes at all (<see cref="JsonTokenType.None"/>), for mutations that write
/// something no JSON writer would.
/// </summary>
internal sealed class JsonSketch
{
    private JsonSketch(JsonTokenType type) => Type = type;

    /// <summary><see cref="JsonTokenType.StartObject"/>, <see cref="JsonTokenType.StartArray"/>, a leaf token, or None for raw bytes.</summary>
    public JsonTokenType Type { get; private set; }

    /// <summary>An object's members in document order; each name is raw, with its quotes.</summary>
    public List<(byte[] Name, JsonSketch Value)> Members { get; private set; } = [];

    public List<JsonSketch> Items { get; private set; } = [];

    /// <summary>A leaf's bytes as written (a string with its quotes and escapes).</summary>
    public byte[] Raw { get; private set; } = [];

    public static JsonSketch Leaf(JsonTokenType type, byte[] raw) => new(type) { Raw = raw };

    /// <summary>The tree of <paramref name="json"/>, or null when it is not one JSON value.</summary>
    public static JsonSketch? TryParse(byte[] json)
    {
        try
        {
            // Deeper than any limit under test: earlier mutations may already have nested hundreds of levels.
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4096 });
            if (!reader.Read())
            {
                return null;
            }

            var root = Read(ref reader);
            return reader.Read() ? null : root;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public byte[] ToBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        Write(output);
        return output.WrittenSpan.ToArray();
    }

    public JsonSketch Clone() => new(Type)
    {
        Raw = Raw,
        Members = Members.Select(m => (m.Name, m.Value.Clone())).ToList(),
        Items = Items.Select(i => i.Clone()).ToList(),
    };

    /// <summary>Turns this node, in place, into a copy of <paramref name="other"/>.</summary>
    public void Become(JsonSketch other)
    {
        var copy = other.Clone();
        Type = copy.Type;
        Raw = copy.Raw;
        Members = copy.Members;
        Items = copy.Items;
    }

    /// <summary>Every node, this one first, parents before children.</summary>
    public List<JsonSketch> Nodes()
    {
        var all = new List<JsonSketch>();
        var stack = new Stack<JsonSketch>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            all.Add(node);
            for (var i = node.Items.Count - 1; i >= 0; i--)
            {
                stack.Push(node.Items[i]);
            }

            for (var i = node.Members.Count - 1; i >= 0; i--)
            {
                stack.Push(node.Members[i].Value);
            }
        }

        return all;
    }

    private static JsonSketch Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonSketch(JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = Quoted(reader.ValueSpan);
                    reader.Read();
                    obj.Members.Add((name, Read(ref reader)));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonSketch(JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(Read(ref reader));
                }

                return array;
            case JsonTokenType.String:
                return Leaf(JsonTokenType.String, Quoted(reader.ValueSpan));
            default:
                return Leaf(reader.TokenType, reader.ValueSpan.ToArray());
        }
    }

    // The input is one span, so ValueSpan is the raw (still escaped) text between the quotes.
    private static byte[] Quoted(ReadOnlySpan<byte> raw) => [(byte)'"', .. raw, (byte)'"'];

    private void Write(ArrayBufferWriter<byte> output)
    {
        switch (Type)
        {
            case JsonTokenType.StartObject:
                output.Write("{"u8);
                for (var i = 0; i < Members.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }

                    output.Write(Members[i].Name);
                    output.Write(":"u8);
                    Members[i].Value.Write(output);
                }

                output.Write("}"u8);
                break;
            case JsonTokenType.StartArray:
                output.Write("["u8);
                for (var i = 0; i < Items.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }

                    Items[i].Write(output);
                }

                output.Write("]"u8);
                break;
            default:
                output.Write(Raw);
                break;
        }
    }
}
