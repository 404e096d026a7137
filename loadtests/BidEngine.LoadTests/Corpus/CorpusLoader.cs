using System.Text.Json;

namespace BidEngine.LoadTests.Corpus;

/// <summary>Reads every file of an OpenRTB request folder (by default the repository's corpus/requests), byte for byte, with its tmax.</summary>
public static class CorpusLoader
{
    public static List<PreparedRequest> Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"OpenRTB corpus folder not found: {directory}");
        }

        var list = new List<PreparedRequest>();
        foreach (var path in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            list.Add(new PreparedRequest(Path.GetFileName(path), bytes, Gzip: false, ReadTmax(bytes)));
        }

        return list;
    }

    /// <summary>The top-level "tmax" as an integer, or null when absent or not a number.</summary>
    public static int? ReadTmax(byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("tmax", out var t)
                && t.ValueKind == JsonValueKind.Number
                && t.TryGetInt32(out var ms)
                && ms > 0)
            {
                return ms;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
