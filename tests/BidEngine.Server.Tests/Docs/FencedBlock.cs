namespace BidEngine.Server.Tests.Docs;

/// <summary>One fenced block of a page: its info string (<c>sh</c>, <c>http</c>, <c>text</c>), its text, the line its fence opens on, and the comment above it.</summary>
internal sealed record FencedBlock(string Info, string Text, int Line, string? Comment);
