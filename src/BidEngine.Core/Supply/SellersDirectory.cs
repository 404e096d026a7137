using System.Text.Json;

namespace BidEngine.Core.Supply;

/// <summary>
/// The sellers.json files of the advertising systems the bidder buys from, one per system, as the
/// operator put them in a folder: <c>{domain}.json</c>, named for the domain that serves it
/// (<c>exchange.example.json</c> is <c>https://exchange.example/sellers.json</c>). Never fetched by the
/// bidder: the operator (or a crawler job of theirs) refreshes the folder and the bidder reloads it.
/// Asked per schain node, with the node's <c>asi</c> and <c>sid</c> as bytes; 0 B per lookup. Immutable.
/// </summary>
public sealed class SellersDirectory
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Utf8Table<bool> _systems;
    private readonly Utf8Table<Seller> _sellers;

    private SellersDirectory(Dictionary<string, bool> systems, Dictionary<(string, string), Seller> sellers, int ignored)
    {
        _systems = new Utf8Table<bool>(systems.Select(s => KeyValuePair.Create((s.Key, ""), true)).ToList());
        _sellers = new Utf8Table<Seller>(sellers.ToList());
        Ignored = ignored;
    }

    public static SellersDirectory Empty { get; } = new([], [], 0);

    /// <summary>Systems with a file.</summary>
    public int Systems => _systems.Count;

    /// <summary>Sellers over every file.</summary>
    public int Sellers => _sellers.Count;

    /// <summary>Entries skipped: no <c>seller_id</c>, or not an object.</summary>
    public int Ignored { get; }

    /// <summary>True when the folder had a file for the system (lower-case domain).</summary>
    public bool HasSystem(ReadOnlySpan<byte> domain) => _systems.TryGet(domain, out _);

    /// <summary>The seller <paramref name="sellerId"/> in the system's file (domain in lower case; the id as is).</summary>
    public bool TryGet(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> sellerId, out Seller seller) => _sellers.TryGet(domain, sellerId, out seller);

    /// <summary>
    /// Every <c>*.json</c> of <paramref name="folder"/>; a missing folder is an empty directory. A file that
    /// is not JSON, or has no <c>sellers</c> array, refuses the whole load, naming the file.
    /// </summary>
    public static SellersDirectory Load(string folder)
    {
        var systems = new Dictionary<string, bool>(StringComparer.Ordinal);
        var sellers = new Dictionary<(string, string), Seller>();
        var ignored = 0;
        if (!Directory.Exists(folder))
        {
            return Empty;
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            var domain = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
            systems[domain] = true;
            using var stream = File.OpenRead(path);
            ignored += Read(stream, domain, sellers, path);
        }

        return new SellersDirectory(systems, sellers, ignored);
    }

    /// <summary>One file's sellers into <paramref name="into"/>; returns the entries ignored.</summary>
    public static int Read(Stream json, string domain, Dictionary<(string, string), Seller> into, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Lenient);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("sellers", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{source}: a sellers.json is an object with a \"sellers\" array");
            }

            var ignored = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("seller_id", out var idElement) || Id(idElement) is not { Length: > 0 } id)
                {
                    ignored++;
                    continue;
                }

                var seller = new Seller(
                    item.TryGetProperty("seller_type", out var type) && type.ValueKind == JsonValueKind.String ? TypeOf(type.GetString()!) : SellerType.Unknown,
                    Flag(item, "is_confidential"),
                    Flag(item, "is_passthrough"));

                // An id listed twice (it happens) is all its entries say: PUBLISHER and INTERMEDIARY make BOTH.
                if (into.TryGetValue((domain, id), out var before))
                {
                    seller = new Seller(before.Type | seller.Type, before.Confidential | seller.Confidential, before.Passthrough | seller.Passthrough);
                }

                into[(domain, id)] = seller;
            }

            return ignored;
        }
    }

    private static string? Id(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        _ => null,
    };

    private static SellerType TypeOf(string text) => text.Trim().ToUpperInvariant() switch
    {
        "PUBLISHER" => SellerType.Publisher,
        "INTERMEDIARY" => SellerType.Intermediary,
        "BOTH" => SellerType.Both,
        _ => SellerType.Unknown,
    };

    /// <summary>The spec's 0/1, and the true/false some files write.</summary>
    private static bool Flag(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n == 1));
}
