namespace BidEngine.Core.Supply;

/// <summary>One site's ads.txt or one app's app-ads.txt, asked by advertising system and account id.</summary>
public readonly struct AdsTxtFile
{
    private readonly Utf8Table<AdsTxtRelationship>? _records;

    internal AdsTxtFile(Utf8Table<AdsTxtRelationship>? records) => _records = records;

    /// <summary>How the file lists the account (system domain in lower case); None when it does not.</summary>
    public AdsTxtRelationship Lists(ReadOnlySpan<byte> system, ReadOnlySpan<byte> account) =>
        _records is not null && _records.TryGet(system, account, out var relationship) ? relationship : AdsTxtRelationship.None;
}
