using SimpleAi.Cli;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary><c>contacts import</c>'s CSV reading (Sep): fields unquoted, and each record's first line for error messages.</summary>
public sealed class CsvReaderTests
{
    [Fact]
    public void QuotedLineBreaksAndBlankLines_KeepEachRecordsStartingLine()
    {
        var csv = "phone,note\n\"+1555\",\"two\r\nlines, \"\"quoted\"\"\"\n\n+1666,\"\"\nlast";

        var records = CsvReader.Read(new StringReader(csv)).ToList();

        Assert.Equal([1, 2, 5, 6], records.Select(r => r.Line));
        Assert.Equal(["+1555", "two\r\nlines, \"quoted\""], records[1].Fields);
        Assert.Equal(["+1666", string.Empty], records[2].Fields);
        Assert.Equal(["last"], records[3].Fields);
    }
}
