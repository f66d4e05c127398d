using nietras.SeparatedValues;

namespace SimpleAi.Cli;

/// <summary>
/// Reads RFC 4180 CSV with Sep: comma-separated (never guessed from the header), quoted fields may hold commas, quotes
/// ("") and line breaks. Rows may have any number of fields (the caller reports a mismatch); blank lines are skipped.
/// </summary>
internal static class CsvReader
{
    /// <summary>Each record with the line number it starts on.</summary>
    public static IEnumerable<(int Line, List<string> Fields)> Read(TextReader reader)
    {
        using var csv = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(reader);
        while (csv.MoveNext())
        {
            var record = Record(csv.Current);
            if (record.Fields.Count > 1 || record.Fields[0].Length > 0)
            {
                yield return record;
            }
        }
    }

    private static (int Line, List<string> Fields) Record(SepReader.Row row)
    {
        var fields = new List<string>(row.ColCount);
        for (var i = 0; i < row.ColCount; i++)
        {
            fields.Add(row[i].ToString());
        }

        // Sep 0.17.1 gives the first row LineNumberFrom 2 (seen in CsvReaderTests); the first row starts on line 1.
        return (row.RowIndex == 0 ? 1 : row.LineNumberFrom, fields);
    }
}
