namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// "Did you mean …?" for a name the configuration misspelt: the known names nearest to it by edit distance
/// (insertions, deletions, substitutions and swaps of two neighbours, case-insensitive).
/// </summary>
public static class NearestNames
{
    /// <summary>
    /// The known names at the least distance from <paramref name="name"/>, when that distance is small for its length
    /// (at most a third of the longer name, and at most 3); none when nothing is that near.
    /// </summary>
    public static IReadOnlyList<string> Of(string name, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(known);
        var scored = known.Distinct(StringComparer.Ordinal)
            .Select(candidate => (Name: candidate, Distance: Distance(name, candidate)))
            // A name that differs only in case is the nearest there is: names are case-sensitive.
            .Where(c => !string.Equals(c.Name, name, StringComparison.Ordinal) && c.Distance <= Math.Min(3, Math.Max(1, Math.Max(name.Length, c.Name.Length) / 3)))
            .ToList();
        if (scored.Count == 0)
        {
            return [];
        }

        var best = scored.Min(c => c.Distance);
        return [.. scored.Where(c => c.Distance == best).Select(c => c.Name)];
    }

    /// <summary><c>: did you mean 'a'?</c> (or <c>'a' or 'b'</c>) for <see cref="Of"/>'s names; empty when there are none.</summary>
    public static string Suggestion(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Count == 0 ? string.Empty : $": did you mean {string.Join(" or ", names.Select(n => $"'{n}'"))}?";
    }

    /// <summary>The optimal string alignment distance between <paramref name="a"/> and <paramref name="b"/>, ignoring case.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 2])
                    && char.ToUpperInvariant(a[i - 2]) == char.ToUpperInvariant(b[j - 1]))
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
