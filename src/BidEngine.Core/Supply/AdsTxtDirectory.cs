using System.Text;

namespace BidEngine.Core.Supply;

/// <summary>
/// The ads.txt files of sites and the app-ads.txt files of apps, as the operator put them in two
/// folders: <c>ads-txt/{domain}.txt</c> (the file of <c>https://{domain}/ads.txt</c>) and
/// <c>app-ads-txt/{bundle}.txt</c> (the app-ads.txt of the developer site the app's store listing
/// names, filed under the app's bundle or store id). Never fetched by the bidder. Lines are read as
/// IAB ads.txt 1.1 says: <c>#</c> starts a comment; <c>KEY=value</c> lines are variables (CONTACT,
/// SUBDOMAIN, OWNERDOMAIN, ...), read past; a record is <c>domain, account id, DIRECT|RESELLER[, cert id]</c>,
/// and a line that is neither is skipped (counted), as the spec asks of crawlers. Domains and the
/// relationship compare case-insensitively, account ids exactly. 0 B per lookup. Immutable.
/// </summary>
public sealed class AdsTxtDirectory
{
    private readonly Utf8Table<Utf8Table<AdsTxtRelationship>> _sites;
    private readonly Utf8Table<Utf8Table<AdsTxtRelationship>> _apps;

    private AdsTxtDirectory(Dictionary<string, Utf8Table<AdsTxtRelationship>> sites, Dictionary<string, Utf8Table<AdsTxtRelationship>> apps, int records, int skipped)
    {
        _sites = new Utf8Table<Utf8Table<AdsTxtRelationship>>(sites.Select(s => KeyValuePair.Create((s.Key, ""), s.Value)).ToList());
        _apps = new Utf8Table<Utf8Table<AdsTxtRelationship>>(apps.Select(s => KeyValuePair.Create((s.Key, ""), s.Value)).ToList());
        Records = records;
        SkippedLines = skipped;
    }

    public static AdsTxtDirectory Empty { get; } = new([], [], 0, 0);

    public int Sites => _sites.Count;

    public int Apps => _apps.Count;

    /// <summary>Seller records over every file.</summary>
    public int Records { get; }

    /// <summary>Lines that were neither a record, a variable, a comment nor blank.</summary>
    public int SkippedLines { get; }

    /// <summary>The file of a site (lower-case domain) or an app (lower-case bundle); false when the folder has none.</summary>
    public bool TryGetFile(bool app, ReadOnlySpan<byte> name, out AdsTxtFile file)
    {
        var found = (app ? _apps : _sites).TryGet(name, out var table);
        file = new AdsTxtFile(table);
        return found;
    }

    /// <summary>Both folders under <paramref name="supplyFolder"/>; a folder that is not there holds no files.</summary>
    public static AdsTxtDirectory Load(string sitesFolder, string appsFolder)
    {
        var records = 0;
        var skipped = 0;
        var sites = LoadFolder(sitesFolder, ref records, ref skipped);
        var apps = LoadFolder(appsFolder, ref records, ref skipped);
        return new AdsTxtDirectory(sites, apps, records, skipped);
    }

    /// <summary>A directory built in code: site and app files as text (tests, benchmarks).</summary>
    public static AdsTxtDirectory Of(IReadOnlyDictionary<string, string> sites, IReadOnlyDictionary<string, string>? apps = null)
    {
        var records = 0;
        var skipped = 0;
        var siteTables = sites.ToDictionary(s => s.Key.ToLowerInvariant(), s => Parse(new StringReader(s.Value), ref records, ref skipped));
        var appTables = (apps ?? new Dictionary<string, string>()).ToDictionary(s => s.Key.ToLowerInvariant(), s => Parse(new StringReader(s.Value), ref records, ref skipped));
        return new AdsTxtDirectory(siteTables, appTables, records, skipped);
    }

    private static Dictionary<string, Utf8Table<AdsTxtRelationship>> LoadFolder(string folder, ref int records, ref int skipped)
    {
        var files = new Dictionary<string, Utf8Table<AdsTxtRelationship>>(StringComparer.Ordinal);
        if (!Directory.Exists(folder))
        {
            return files;
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            files[Path.GetFileNameWithoutExtension(path).ToLowerInvariant()] = Parse(reader, ref records, ref skipped);
        }

        return files;
    }

    /// <summary>One file's records, keyed by (advertising system in lower case, account id).</summary>
    internal static Utf8Table<AdsTxtRelationship> Parse(TextReader reader, ref int records, ref int skipped)
    {
        var entries = new Dictionary<(string, string), AdsTxtRelationship>();
        while (reader.ReadLine() is { } line)
        {
            var text = line.AsSpan();
            var comment = text.IndexOf('#');
            if (comment >= 0)
            {
                text = text[..comment];
            }

            // Extension fields follow a ';' (ads.txt 1.1): not ours to read.
            var extension = text.IndexOf(';');
            if (extension >= 0)
            {
                text = text[..extension];
            }

            text = text.Trim();
            if (text.IsEmpty)
            {
                continue;
            }

            var comma = text.IndexOf(',');
            var equals = text.IndexOf('=');
            if (equals >= 0 && (comma < 0 || equals < comma))
            {
                // A variable: CONTACT=..., SUBDOMAIN=..., INVENTORYPARTNERDOMAIN=..., OWNERDOMAIN=...
                continue;
            }

            if (!TryRecord(text, out var domain, out var account, out var relationship))
            {
                skipped++;
                continue;
            }

            entries[(domain, account)] = entries.GetValueOrDefault((domain, account)) | relationship;
            records++;
        }

        return new Utf8Table<AdsTxtRelationship>(entries.ToList());
    }

    private static bool TryRecord(ReadOnlySpan<char> text, out string domain, out string account, out AdsTxtRelationship relationship)
    {
        domain = account = "";
        relationship = AdsTxtRelationship.None;
        Span<Range> fields = stackalloc Range[5];
        var count = text.Split(fields, ',');
        if (count < 3)
        {
            return false;
        }

        var d = text[fields[0]].Trim();
        var a = text[fields[1]].Trim();
        var r = text[fields[2]].Trim();
        relationship = r.Equals("DIRECT", StringComparison.OrdinalIgnoreCase) ? AdsTxtRelationship.Direct
            : r.Equals("RESELLER", StringComparison.OrdinalIgnoreCase) ? AdsTxtRelationship.Reseller
            : AdsTxtRelationship.None;
        if (d.IsEmpty || a.IsEmpty || relationship == AdsTxtRelationship.None || d.ContainsAny(' ', '\t'))
        {
            return false;
        }

        domain = d.ToString().ToLowerInvariant();
        account = a.ToString();
        return true;
    }
}
