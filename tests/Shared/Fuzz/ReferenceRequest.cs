using System.Text.Json;
using BidEngine.OpenRtb.Parsing;

namespace BidEngine.Tests.Shared.Fuzz;

/// <summary>
/// A slow, plain reading of the fields the fuzz tests compare (id, tmax, and each imp's id, banner
/// w/h, bidfloor and bidfloorcur) with <see cref="JsonDocument"/>, written from the parser's
/// documented rules rather than its code:
/// <list type="bullet">
/// <item>A repeated key is read every time, in document order: for a single value (id, tmax, w, h,
/// bidfloor, bidfloorcur) the last one wins, and <c>null</c> counts as a value (it clears the
/// field); a repeated <c>imp</c> array adds its imps after the earlier ones, and a repeated
/// <c>banner</c> object sets only the fields it carries.</item>
/// <item>Integers may be written as whole floats (<c>300.0</c>); tmax and bidfloor below zero read as 0.</item>
/// <item>A value of the wrong type in any of these fields is a refusal (<see cref="Problems"/>).</item>
/// <item>A string with invalid UTF-8 or an escaped lone surrogate is not JSON text: JsonDocument
/// takes it (it checks strings only when one is read), so <see cref="HasInvalidText"/> says whether
/// there is one anywhere.</item>
/// </list>
/// </summary>
internal sealed class ReferenceRequest
{
    private ReferenceRequest()
    {
    }

    public string? Id { get; private set; }

    public int Tmax { get; private set; }

    public List<ReferenceImp> Imps { get; } = [];

    /// <summary>True when some string or property name in the document is not valid text (see the remarks above).</summary>
    public bool HasInvalidText { get; private set; }

    /// <summary>Every refusal the compared fields call for, wherever it is in the document.</summary>
    public List<(BidRequestError Error, string Field)> Problems { get; } = [];

    /// <summary>What the parser must answer after reading the whole body without a problem: None, or the first failed rule.</summary>
    public BidRequestError Validation
    {
        get
        {
            if (string.IsNullOrEmpty(Id))
            {
                return BidRequestError.MissingId;
            }

            if (Imps.Count == 0)
            {
                return BidRequestError.MissingImp;
            }

            for (var i = 0; i < Imps.Count; i++)
            {
                if (string.IsNullOrEmpty(Imps[i].Id))
                {
                    return BidRequestError.ImpWithoutId;
                }

                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(Imps[i].Id, Imps[j].Id, StringComparison.Ordinal))
                    {
                        return BidRequestError.DuplicateImpId;
                    }
                }
            }

            return BidRequestError.None;
        }
    }

    /// <summary>The request in <paramref name="body"/>, or null when JsonDocument does not take it as one JSON object within <paramref name="maxDepth"/>.</summary>
    public static ReferenceRequest? Read(byte[] body, int maxDepth = 32, int maxImps = 64)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var request = new ReferenceRequest { HasInvalidText = HoldsInvalidText(document.RootElement) };
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (Name(property))
                {
                    case "id":
                        request.Id = request.String(property.Value, "id", request.Id);
                        break;
                    case "tmax":
                        request.Tmax = Math.Max(0, request.Int(property.Value, "tmax", request.Tmax));
                        break;
                    case "imp":
                        request.ReadImps(property.Value, maxImps);
                        break;
                }
            }

            return request;
        }
    }

    public override string ToString() => $"id={Id} tmax={Tmax} problems=[{string.Join(", ", Problems)}]\n" + string.Join("\n", Imps);

    private void ReadImps(JsonElement value, int maxImps)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            Problems.Add((BidRequestError.WrongType, "imp"));
            return;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                Problems.Add((BidRequestError.WrongType, "imp[]"));
                continue;
            }

            if (Imps.Count == maxImps)
            {
                Problems.Add((BidRequestError.TooManyItems, "imp"));
                return;
            }

            var imp = new ReferenceImp();
            Imps.Add(imp);
            foreach (var property in item.EnumerateObject())
            {
                switch (Name(property))
                {
                    case "id":
                        imp.Id = String(property.Value, "imp[].id", imp.Id);
                        break;
                    case "bidfloor":
                        imp.BidFloor = Math.Max(0, Double(property.Value, "imp[].bidfloor", imp.BidFloor));
                        break;
                    case "bidfloorcur":
                        imp.BidFloorCur = String(property.Value, "imp[].bidfloorcur", imp.BidFloorCur);
                        break;
                    case "banner":
                        ReadBanner(property.Value, imp);
                        break;
                }
            }
        }
    }

    private void ReadBanner(JsonElement value, ReferenceImp imp)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Problems.Add((BidRequestError.WrongType, "imp[].banner"));
            return;
        }

        imp.Banner = true;
        foreach (var property in value.EnumerateObject())
        {
            switch (Name(property))
            {
                case "w":
                    imp.W = Int(property.Value, "imp[].banner.w", imp.W);
                    break;
                case "h":
                    imp.H = Int(property.Value, "imp[].banner.h", imp.H);
                    break;
            }
        }
    }

    private static bool HoldsInvalidText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => !TryGetString(element, out _),
        JsonValueKind.Array => element.EnumerateArray().Any(HoldsInvalidText),
        JsonValueKind.Object => element.EnumerateObject().Any(p => Name(p) is null || HoldsInvalidText(p.Value)),
        _ => false,
    };

    private static bool TryGetString(JsonElement element, out string? text)
    {
        try
        {
            text = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>The unescaped name, or null when it is not valid text (such a name matches no field).</summary>
    private static string? Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A string, or null for JSON null; any other type is a problem and leaves <paramref name="current"/>.</summary>
    private string? String(JsonElement value, string field, string? current)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when TryGetString(value, out var text):
                return text;
            case JsonValueKind.String:
                Problems.Add((BidRequestError.NotJson, field));
                return current;
            case JsonValueKind.Null:
                return null;
            default:
                Problems.Add((BidRequestError.WrongType, field));
                return current;
        }
    }

    /// <summary>A whole number that fits an int (300 or 300.0), or 0 for JSON null.</summary>
    private int Int(JsonElement value, string field, int current)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt32(out var i))
            {
                return i;
            }

            if (value.TryGetDouble(out var d) && double.IsFinite(d) && d == Math.Truncate(d) && d >= int.MinValue && d <= int.MaxValue)
            {
                return (int)d;
            }
        }

        Problems.Add((BidRequestError.WrongType, field));
        return current;
    }

    /// <summary>A finite number, or 0 for JSON null.</summary>
    private double Double(JsonElement value, string field, double current)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return d;
        }

        Problems.Add((BidRequestError.WrongType, field));
        return current;
    }
}
