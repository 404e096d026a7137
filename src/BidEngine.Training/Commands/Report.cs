using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BidEngine.Training.Learning;

namespace BidEngine.Training.Commands;

/// <summary>Console and JSON output shared by the verbs.</summary>
internal static class Report
{
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        // Readable cards: '+' and '<' stay as they are (the files are not embedded in HTML).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void WriteJson<T>(string path, T value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(value, Json) + "\n");
    }

    public static T ReadJson<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty");

    public static void Print(TextWriter o, string name, Metrics.Report r, bool deciles)
    {
        o.WriteLine($"  {name,-22} AUC {r.Auc:F4}   log-loss {r.LogLoss:F5}   mean p {r.MeanPredicted:P3} vs observed {r.Observed:P3}   ({r.Rows:N0} rows, {r.Clicks:N0} clicks)");
        if (!deciles)
        {
            return;
        }

        o.WriteLine("    decile   rows      mean pred  observed  clicks  pred/obs-1  mean truth  pred/truth-1");
        foreach (var d in r.Deciles)
        {
            o.WriteLine($"    {d.Index,6} {d.Rows,8:N0}   {d.MeanPredicted,8:P3}  {d.Observed,8:P3}  {d.Clicks,6:N0}   {d.ObservedError,9:+0.0%;-0.0%}  {(double.IsNaN(d.MeanTruth) ? "      -" : d.MeanTruth.ToString("P3")),10}  {(double.IsNaN(d.TruthError) ? "-" : d.TruthError.ToString("+0.0%;-0.0%")),10}");
        }
    }
}
