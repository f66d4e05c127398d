using System.Text.RegularExpressions;

namespace SimpleAi.Functions.Tests.Telemetry;

/// <summary>
/// What one part of a log query asks of the data: the Application Insights table it reads, the item names it filters
/// on (<c>name == "…"</c>, <c>name startswith "…"</c>), the <c>customDimensions["…"]</c> it uses, and the texts it looks
/// for in <c>message</c>. A query is cut into one part per table it names (a <c>union</c> or <c>let</c> reads another).
/// </summary>
public sealed partial record KqlReferences(
    string Table,
    IReadOnlyList<string> NamesEqual,
    IReadOnlyList<string> NamePrefixes,
    IReadOnlyList<string> Dimensions,
    IReadOnlyList<string> MessageTexts)
{
    public static IReadOnlyList<KqlReferences> Of(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var tables = TableName().Matches(query);
        return tables.Select((table, i) =>
        {
            var end = i + 1 < tables.Count ? tables[i + 1].Index : query.Length;
            var part = query[table.Index..end];
            return new KqlReferences(
                table.Value,
                NameEquals().Matches(part).Select(m => m.Groups[1].Value).ToList(),
                NameStartsWith().Matches(part).Select(m => m.Groups[1].Value).ToList(),
                Dimension().Matches(part).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList(),
                MessageText().Matches(part).Select(m => m.Groups[1].Value).ToList());
        }).ToList();
    }

    /// <summary>True when this envelope is one this part of the query would find and read every field of.</summary>
    public bool Matches(CapturedEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return envelope.Table == Table
            && NamesEqual.All(n => envelope.Name == n)
            && NamePrefixes.All(p => envelope.Name?.StartsWith(p, StringComparison.Ordinal) == true)
            && Dimensions.All(envelope.Dimensions.ContainsKey)
            && MessageTexts.All(t => envelope.Message?.Contains(t, StringComparison.Ordinal) == true);
    }

    public override string ToString() =>
        $"{Table}"
        + string.Concat(NamesEqual.Select(n => $" name == \"{n}\""))
        + string.Concat(NamePrefixes.Select(n => $" name startswith \"{n}\""))
        + string.Concat(Dimensions.Select(d => $" customDimensions[\"{d}\"]"))
        + string.Concat(MessageTexts.Select(t => $" message ~ \"{t}\""));

    [GeneratedRegex(@"(?<![\w.""])(customMetrics|traces|exceptions|requests|dependencies|customEvents)\b")]
    private static partial Regex TableName();

    [GeneratedRegex(@"\bname\s*==\s*""([^""]+)""")]
    private static partial Regex NameEquals();

    [GeneratedRegex(@"\bname\s+startswith\s+""([^""]+)""")]
    private static partial Regex NameStartsWith();

    [GeneratedRegex(@"customDimensions\[\s*""([^""]+)""\s*\]")]
    private static partial Regex Dimension();

    [GeneratedRegex(@"\bmessage\s+(?:startswith|endswith|has|contains)\s+""([^""]*)""")]
    private static partial Regex MessageText();
}
