using System.Text.Json;
using System.Text.Json.Serialization;

namespace BidEngine.Tests.Shared;

/// <summary>
/// The consent strings made by the IAB's own JavaScript libraries, with those libraries' decoding
/// of each (<c>tools/consent-fixtures</c> writes <c>tests/Shared/Privacy/fixtures.json</c>). Linked
/// into each test project that needs it; the tests need no Node.
/// </summary>
internal static class PrivacyFixtures
{
    private static readonly Lazy<FixtureFile> s_file = new(() =>
    {
        var path = Path.Combine(Path.GetDirectoryName(Corpus.Root)!, "tests", "Shared", "Privacy", "fixtures.json");
        return JsonSerializer.Deserialize<FixtureFile>(File.ReadAllBytes(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    });

    public static IReadOnlyList<TcfFixture> Tcf => s_file.Value.Tcf;

    public static IReadOnlyList<GppFixture> Gpp => s_file.Value.Gpp;

    public static IReadOnlyList<UspFixture> UsPrivacy => s_file.Value.UsPrivacy;

    public static TcfFixture TcfNamed(string name) => Tcf.Single(f => f.Name == name);

    public static GppFixture GppNamed(string name) => Gpp.Single(f => f.Name == name);

    public static TheoryData<string> TcfNames() => Names(Tcf.Select(f => f.Name));

    public static TheoryData<string> GppNames() => Names(Gpp.Select(f => f.Name));

    public static TheoryData<string> UspNames() => Names(UsPrivacy.Select(f => f.Name));

    private static TheoryData<string> Names(IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (var name in names)
        {
            data.Add(name);
        }

        return data;
    }

    internal sealed record FixtureFile(List<TcfFixture> Tcf, List<GppFixture> Gpp, List<UspFixture> UsPrivacy);

    internal sealed record TcfFixture(string Name, string Note, string String, string VendorEncoding, TcfExpected Expected);

    internal sealed record TcfExpected(
        int Version,
        int PolicyVersion,
        int CmpId,
        int CmpVersion,
        int VendorListVersion,
        bool IsServiceSpecific,
        int[] PurposeConsents,
        int[] PurposeLegitimateInterests,
        int[] SpecialFeatureOptins,
        int[] VendorConsents,
        int[] VendorLegitimateInterests,
        int[]? VendorsDisclosed,
        int MaxVendorId,
        RestrictionExpected[] PublisherRestrictions);

    internal sealed record RestrictionExpected(int Purpose, int Type, int[] Vendors);

    internal sealed record GppFixture(string Name, string Note, string String, int[] Sid, GppExpected Expected);

    internal sealed record GppExpected(int[] SectionIds, Dictionary<string, GppSectionExpected> Sections);

    internal sealed record GppSectionExpected(
        int Id,
        int? Version,
        [property: JsonConverter(typeof(NumberOrStringConverter))] int? SaleOptOut,
        int? SharingOptOut,
        int? TargetedAdvertisingOptOut,
        string? OptOutSale,
        string? String);

    internal sealed record UspFixture(string Name, string String, UspExpected Expected);

    internal sealed record UspExpected(int Version, string Notice, string OptOutSale, string LspaCovered);

    /// <summary>Reads a number; a string (never expected here) as null.</summary>
    internal sealed class NumberOrStringConverter : JsonConverter<int?>
    {
        public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : null;

        public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options) => throw new NotSupportedException();
    }
}
