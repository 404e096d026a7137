using System.Text;

namespace BidEngine.Server.Metrics;

/// <summary>How enum members become Prometheus label values.</summary>
internal static class LabelValues
{
    /// <summary>PascalCase to snake_case: DailyExhausted → daily_exhausted, NoBasicAdsBasis → no_basic_ads_basis.</summary>
    public static string Snake(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
