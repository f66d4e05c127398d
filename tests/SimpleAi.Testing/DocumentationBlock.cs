namespace SimpleAi.Testing;

/// <summary>
/// One fenced block of README.md or a page of docs/, with the marker on the line before it: <c>&lt;!-- tested:
/// Class.Method --&gt;</c> (the test that runs or checks it) or <c>&lt;!-- illustrative: why --&gt;</c> (a diagram,
/// a shape, a usage pattern); null when it has none.
/// </summary>
/// <param name="Page">The page, relative to the repository root (<c>docs/operations.md</c>).</param>
/// <param name="Line">The line of the opening fence, counted from 1.</param>
/// <param name="Language">What follows the opening fence (<c>sh</c>, <c>json</c>; empty for none).</param>
public sealed record DocumentationBlock(string Page, int Line, string Language, string? Marker, string Body)
{
    public const string TestedPrefix = "tested: ";

    public const string IllustrativePrefix = "illustrative: ";

    /// <summary>The test the marker names (<c>Class.Method</c>), or null when the block is not marked tested.</summary>
    public string? Test => Marker is { } marker && marker.StartsWith(TestedPrefix, StringComparison.Ordinal) ? marker[TestedPrefix.Length..].Trim() : null;

    /// <summary>The body's lines without blank lines and without <c>#</c> comments (for shell blocks).</summary>
    public IReadOnlyList<string> Commands() =>
        [.. Body.Split('\n').Select(line => line.Split(" #")[0].Split("\t#")[0].Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'))];

    public override string ToString() => $"{Page}:{Line}";
}
