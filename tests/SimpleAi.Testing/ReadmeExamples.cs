using System.Text;

namespace SimpleAi.Testing;

/// <summary>
/// The fenced examples of the repository's README.md and its pages under docs/, so tests can hold them to what the app
/// really sends. A heading is looked for in README.md, then in each page of docs/.
/// </summary>
public static class ReadmeExamples
{
    /// <summary>The body of the first <c>```json</c> block under the line <paramref name="heading"/>.</summary>
    public static string JsonBlockAfter(string heading) =>
        BlocksUnder(heading, "json") is [var first, ..] ? first : throw new InvalidOperationException($"No ```json block after '{heading}'.");

    /// <summary>The bodies of every <c>```language</c> block under the line <paramref name="heading"/>, up to the next heading of its level or above.</summary>
    public static IReadOnlyList<string> BlocksUnder(string heading, string language)
    {
        var (lines, start) = Pages()
            .Select(page => File.ReadAllLines(page))
            .Select(lines => (Lines: lines, Start: Array.IndexOf(lines, heading)))
            .FirstOrDefault(found => found.Start >= 0);
        if (lines is null)
        {
            throw new InvalidOperationException($"Neither README.md nor a page of docs/ has the line '{heading}'.");
        }

        var level = heading.TakeWhile(c => c == '#').Count();
        var blocks = new List<string>();
        for (var i = start + 1; i < lines.Length && !IsHeadingUpTo(lines[i], level); i++)
        {
            if (lines[i].TrimEnd() == "```" + language)
            {
                var close = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
                blocks.Add(string.Join('\n', lines[(i + 1)..close]));
                i = close;
            }
        }

        return blocks;
    }

    /// <summary>Every fenced block of README.md and the pages of docs/, with the marker on the line before it.</summary>
    public static IEnumerable<DocumentationBlock> Blocks()
    {
        foreach (var page in Pages())
        {
            var lines = File.ReadAllLines(page);
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("```", StringComparison.Ordinal))
                {
                    continue;
                }

                var close = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
                if (close < 0)
                {
                    throw new InvalidOperationException($"{page}:{i + 1}: a block that is never closed.");
                }

                var before = i > 0 ? lines[i - 1].Trim() : string.Empty;
                var marker = before.StartsWith("<!--", StringComparison.Ordinal) && before.EndsWith("-->", StringComparison.Ordinal)
                    ? before[4..^3].Trim()
                    : null;
                yield return new DocumentationBlock(
                    Path.GetRelativePath(RepoPaths.Root, page).Replace('\\', '/'), i + 1, lines[i][3..].Trim(), marker, string.Join('\n', lines[(i + 1)..close]));
                i = close;
            }
        }
    }

    /// <summary>The blocks whose marker names <paramref name="test"/> (<c>Class.Method</c>) as the test that runs them.</summary>
    public static IReadOnlyList<DocumentationBlock> TestedBy(string test)
    {
        var blocks = Blocks().Where(b => b.Test == test).ToList();
        return blocks.Count > 0 ? blocks : throw new InvalidOperationException($"No block of README.md or docs/ is marked <!-- tested: {test} -->.");
    }

    /// <summary>README.md, then the pages of docs/ (not the generated benchmark reports).</summary>
    public static IEnumerable<string> Pages() =>
        new[] { Path.Combine(RepoPaths.Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md").Order(StringComparer.Ordinal));

    private static bool IsHeadingUpTo(string line, int level)
    {
        var hashes = line.TakeWhile(c => c == '#').Count();
        return hashes > 0 && hashes <= level && line.Length > hashes && line[hashes] == ' ';
    }

    /// <summary>
    /// The one normalisation the README's examples get: whitespace between JSON tokens (indentation, line breaks,
    /// spaces after <c>:</c> and <c>,</c>) is dropped. Everything inside strings, escapes included, is kept as written.
    /// </summary>
    public static string WithoutLayout(string json)
    {
        var compact = new StringBuilder(json.Length);
        var inString = false;
        var escaped = false;
        foreach (var c in json)
        {
            if (inString)
            {
                compact.Append(c);
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c is not (' ' or '\t' or '\r' or '\n'))
            {
                compact.Append(c);
                inString = c == '"';
            }
        }

        return compact.ToString();
    }
}
