using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>
/// Applies <see cref="MutationStep"/>s to a body. Every choice comes from the step's two numbers,
/// so one <see cref="FuzzCase"/> always gives the same bytes: a failure replays from its seed.
/// </summary>
internal static class Mutator
{
    // Bytes that change the structure, break a string or an escape, or are not UTF-8 at all.
    private static readonly byte[] InterestingBytes = "{}[]\",:\\ 0-.eE"u8.ToArray().Concat(new byte[] { 0x00, 0x1F, 0x7F, 0x80, 0xC0, 0xFF }).ToArray();

    private static readonly string[] OtherTypes =
    [
        "\"x\"", "\"300\"", "\"\"", "0", "-1", "1.5", "300", "{}", "[]", "null", "true", "false", "[{}]", "{\"id\":\"1\"}", "[\"a\"]", "[300,250]",
    ];

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "99999999999999999999", "-99999999999999999999", "-0", "-0.0", "1.7976931348623157e309", "1e-400",
        "2147483647", "2147483648", "-2147483649", "4294967296", "300.0", "3e2", "3.5e2", "0.0000001", "1E+2", "123456789012345678901234567890.5",
    ];

    // Invalid UTF-8 (lone continuation, overlong, encoded surrogate, past U+10FFFF, cut short) and escapes of lone surrogates.
    private static readonly byte[][] BadText =
    [
        [0xFF], [0x80], [0xC0, 0x80], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        "\\uD800"u8.ToArray(), "\\uDC00\\uD800"u8.ToArray(), "\\uD83D\\uDE00"u8.ToArray(), "\\u0000"u8.ToArray(), "\\u00"u8.ToArray(), "\\x"u8.ToArray(),
    ];

    public static byte[] Apply(byte[] seed, IEnumerable<MutationStep> steps)
    {
        var body = seed;
        foreach (var step in steps)
        {
            body = Apply(body, step);
        }

        return body;
    }

    public static byte[] Apply(byte[] body, MutationStep step) => step.Kind switch
    {
        MutationKind.BitFlip => BitFlip(body, step.Where, step.What),
        MutationKind.InsertByte => InsertByte(body, step.Where, step.What),
        MutationKind.DeleteBytes => DeleteBytes(body, step.Where, step.What),
        MutationKind.Truncate => body[..(int)(step.Where % (uint)(body.Length + 1))],
        _ => Structural(body, step),
    };

    /// <summary>The bytes sent on the wire for <paramref name="mode"/>; <paramref name="arg"/> picks where a damaged stream is cut or flipped.</summary>
    public static byte[] Encode(byte[] body, GzipMode mode, uint arg)
    {
        if (mode is GzipMode.None or GzipMode.GzipHeaderOnly)
        {
            return body;
        }

        var gzip = Gzip(body);
        if (gzip.Length == 0)
        {
            // GZipStream writes nothing at all for an empty body.
            return gzip;
        }

        return mode switch
        {
            GzipMode.TruncatedGzip => gzip[..(int)(arg % (uint)gzip.Length)],
            GzipMode.GarbledGzip => BitFlip(gzip, arg, arg >> 16),
            _ => gzip,
        };
    }

    public static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(body);
        }

        return output.ToArray();
    }

    private static byte[] BitFlip(byte[] body, uint where, uint what)
    {
        if (body.Length == 0)
        {
            return body;
        }

        var copy = body.ToArray();
        copy[where % (uint)copy.Length] ^= (byte)(1 << (int)(what % 8));
        return copy;
    }

    private static byte[] InsertByte(byte[] body, uint where, uint what)
    {
        var at = (int)(where % (uint)(body.Length + 1));
        var value = (what & 0x100) == 0 ? InterestingBytes[what % (uint)InterestingBytes.Length] : (byte)what;
        return [.. body.AsSpan(0, at), value, .. body.AsSpan(at)];
    }

    private static byte[] DeleteBytes(byte[] body, uint where, uint what)
    {
        if (body.Length == 0)
        {
            return body;
        }

        var at = (int)(where % (uint)body.Length);
        var count = Math.Min(1 + (int)(what % 16), body.Length - at);
        return [.. body.AsSpan(0, at), .. body.AsSpan(at + count)];
    }

    private static byte[] Structural(byte[] body, MutationStep step)
    {
        var root = JsonSketch.TryParse(body);
        if (root is null)
        {
            // Already broken by an earlier step: structure is gone, so this step does nothing.
            return body;
        }

        var nodes = root.Nodes();
        var where = step.Where;
        var what = step.What;
        switch (step.Kind)
        {
            case MutationKind.DuplicateKey:
                {
                    var objects = nodes.Where(n => n.Members.Count > 0).ToList();
                    if (objects.Count == 0)
                    {
                        return body;
                    }

                    var obj = objects[(int)(where % (uint)objects.Count)];
                    var index = (int)(what % (uint)obj.Members.Count);
                    var (name, value) = obj.Members[index];

                    // The copy keeps the value, takes another node's, or a value of another type: which one a parser keeps then shows.
                    var copy = ((what >> 8) % 3) switch
                    {
                        0 => value.Clone(),
                        1 => nodes[(int)((what >> 10) % (uint)nodes.Count)].Clone(),
                        _ => Literal(OtherTypes[(what >> 10) % (uint)OtherTypes.Length]),
                    };
                    obj.Members.Insert((what & 0x80) == 0 ? index + 1 : obj.Members.Count, (name, copy));
                    break;
                }

            case MutationKind.ReorderKeys:
                {
                    var objects = nodes.Where(n => n.Members.Count > 1).ToList();
                    if (objects.Count == 0)
                    {
                        return body;
                    }

                    var obj = objects[(int)(where % (uint)objects.Count)];
                    var shuffled = obj.Members.ToArray();
                    new Random((int)what).Shuffle(shuffled);
                    obj.Members.Clear();
                    obj.Members.AddRange(shuffled);
                    break;
                }

            case MutationKind.WrongType:
                nodes[(int)(where % (uint)nodes.Count)].Become(OtherType(nodes[(int)(where % (uint)nodes.Count)], what));
                break;

            case MutationKind.HugeNumber:
                {
                    var numbers = nodes.Where(n => n.Type == JsonTokenType.Number).ToList();
                    var target = numbers.Count > 0 ? numbers[(int)(where % (uint)numbers.Count)] : nodes[(int)(where % (uint)nodes.Count)];
                    target.Become(Literal(HugeNumbers[what % (uint)HugeNumbers.Length]));
                    break;
                }

            case MutationKind.InvalidUtf8:
                return InvalidUtf8(root, nodes, where, what);

            case MutationKind.DeepNesting:
                {
                    // A quarter of the time just around a 32-level limit, else anywhere up to 700 levels.
                    var depth = what % 4 == 0 ? 28 + (int)((what >> 2) % 8) : 30 + (int)((what >> 2) % 700);
                    var (open, close) = ((what >> 12) % 3) switch
                    {
                        0 => ("[", "]"),
                        1 => ("{\"a\":", "}"),
                        _ => ("[{\"a\":", "}]"),
                    };
                    var closed = (what & 0x800) == 0;
                    var text = new StringBuilder();
                    text.Insert(0, open, depth).Append('1');
                    if (closed)
                    {
                        text.Insert(text.Length, close, depth);
                    }

                    nodes[(int)(where % (uint)nodes.Count)].Become(JsonSketch.Leaf(JsonTokenType.None, Encoding.UTF8.GetBytes(text.ToString())));
                    break;
                }

            case MutationKind.LongString:
                {
                    var strings = nodes.Where(n => n.Type == JsonTokenType.String).ToList();
                    var target = strings.Count > 0 ? strings[(int)(where % (uint)strings.Count)] : nodes[(int)(where % (uint)nodes.Count)];
                    var length = (what >> 8) % 3 == 0 ? (int)(where % 300_000) : (int)(where % 20_000);
                    var unit = (what % 4) switch
                    {
                        0 => "a",
                        1 => "\\u00e9",
                        2 => "é",
                        _ => "\\\"",
                    };
                    var text = new StringBuilder(length * unit.Length + 2).Append('"').Insert(1, unit, length).Append('"');
                    target.Become(JsonSketch.Leaf(JsonTokenType.String, Encoding.UTF8.GetBytes(text.ToString())));
                    break;
                }
        }

        return root.ToBytes();
    }

    /// <summary>A value of another JSON type than <paramref name="node"/>: its own content retyped half the time, a stock value otherwise.</summary>
    private static JsonSketch OtherType(JsonSketch node, uint what)
    {
        if ((what & 1) == 0)
        {
            return Literal(OtherTypes[(what >> 1) % (uint)OtherTypes.Length]);
        }

        switch (node.Type)
        {
            case JsonTokenType.Number:
            case JsonTokenType.True:
            case JsonTokenType.False:
            case JsonTokenType.Null:
                // 300 becomes "300".
                return JsonSketch.Leaf(JsonTokenType.String, [(byte)'"', .. node.Raw, (byte)'"']);
            case JsonTokenType.String:
                // "300" becomes 300 (and "abc" becomes abc, which is not JSON: also worth sending).
                return JsonSketch.Leaf(JsonTokenType.None, node.Raw[1..^1]);
            case JsonTokenType.StartObject:
                // An object becomes the array of its values.
                return JsonSketch.TryParse(Encoding.UTF8.GetBytes("[" + string.Join(",", node.Members.Select(m => Encoding.UTF8.GetString(m.Value.ToBytes()))) + "]"))
                    ?? Literal("[]");
            case JsonTokenType.StartArray:
                // An array becomes an object keyed by position.
                return JsonSketch.TryParse(Encoding.UTF8.GetBytes("{" + string.Join(",", node.Items.Select((item, i) => $"\"{i}\":" + Encoding.UTF8.GetString(item.ToBytes()))) + "}"))
                    ?? Literal("{}");
            default:
                return Literal("null");
        }
    }

    private static byte[] InvalidUtf8(JsonSketch root, List<JsonSketch> nodes, uint where, uint what)
    {
        // Strings and property names alike: a name with a broken byte must be refused or skipped, never crash.
        var strings = nodes.Where(n => n.Type == JsonTokenType.String).ToList();
        var names = nodes.SelectMany(n => Enumerable.Range(0, n.Members.Count).Select(i => (Object: n, Index: i))).ToList();
        var total = strings.Count + names.Count;
        if (total == 0)
        {
            return root.ToBytes();
        }

        var pick = (int)(where % (uint)total);
        var bad = BadText[what % (uint)BadText.Length];
        if (pick < strings.Count)
        {
            var target = strings[pick];
            target.Become(JsonSketch.Leaf(JsonTokenType.String, Insert(target.Raw, bad, what >> 8)));
        }
        else
        {
            var (obj, index) = names[pick - strings.Count];
            obj.Members[index] = (Insert(obj.Members[index].Name, bad, what >> 8), obj.Members[index].Value);
        }

        return root.ToBytes();
    }

    /// <summary>Inserts <paramref name="bad"/> between the quotes of <paramref name="quoted"/>.</summary>
    private static byte[] Insert(byte[] quoted, byte[] bad, uint where)
    {
        var at = 1 + (int)(where % (uint)(quoted.Length - 1));
        return [.. quoted.AsSpan(0, at), .. bad, .. quoted.AsSpan(at)];
    }

    private static JsonSketch Literal(string json) => JsonSketch.TryParse(Encoding.UTF8.GetBytes(json))!;
}
