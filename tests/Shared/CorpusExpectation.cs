namespace BidEngine.Tests.Shared;

/// <summary>
/// What the bidder owes one fixture of the repository's corpus, as its row in <c>corpus/README.md</c> says.
/// </summary>
/// <param name="Folder">requests, offspec or malformed.</param>
/// <param name="Name">The file name.</param>
/// <param name="Gzip">Sent compressed with <c>Content-Encoding: gzip</c>.</param>
/// <param name="Status">200, 204 or 400.</param>
/// <param name="Error">For a 400, the <c>error</c> code the body carries.</param>
/// <param name="Field">For a 400, the <c>field</c> the body names; null when it names none.</param>
/// <param name="BidImps">For a 200 that lists them, exactly the imps that get a bid; null: at least one bid.</param>
internal sealed record CorpusExpectation(string Folder, string Name, bool Gzip, int Status, string? Error, string? Field, IReadOnlyList<string>? BidImps)
{
    public string File => Folder + "/" + Name;

    public bool Bids => Status == 200;

    public override string ToString() => File;
}
