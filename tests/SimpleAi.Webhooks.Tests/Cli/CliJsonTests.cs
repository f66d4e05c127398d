using System.Text.RegularExpressions;
using SimpleAi.Cli;
using SimpleAi.Webhooks.Json;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary>The CLI writes JSON as the app's documents do (issue 21: <c>status --json</c> wrote <c>'</c> as <c>\u0027</c>).</summary>
public sealed partial class CliJsonTests
{
    private const string Text = "CRM's answer: <b>\"late\"</b> & café 🙂";

    [Fact]
    public void Serialize_EscapesOnlyWhatJsonRequires_AsTheAppsDocuments()
    {
        var value = new { LastError = Text };

        var indented = CliJson.Serialize(value);
        var line = CliJson.SerializeLine(value);

        var document = JsonSerializer.Serialize(new Dictionary<string, string> { ["last_error"] = Text }, OutboundJson.SerializerOptions);
        Assert.Equal(document, line);
        Assert.Equal("{\n  \"last_error\": \"CRM's answer: <b>\\\"late\\\"</b> & café 🙂\"\n}", indented.ReplaceLineEndings("\n"));
        Assert.Equal(Text, JsonDocument.Parse(indented).RootElement.GetProperty("last_error").GetString());
    }

    /// <summary>Every JSON the CLI serializes goes through <see cref="CliJson"/> or, for a body it sends, <see cref="OutboundJson"/>.</summary>
    [Fact]
    public void EveryJsonSerializerCallOfTheCli_UsesTheOneSetting()
    {
        var cli = Path.Combine(RepoPaths.Root, "src", "SimpleAi.Cli");
        var calls = Directory.EnumerateFiles(cli, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "CliJson.cs")
            .SelectMany(f => SerializerCall().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Call: m.Value)))
            .ToList();

        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.True(c.Call.Contains("OutboundJson.SerializerOptions", StringComparison.Ordinal), $"{c.File}: {c.Call}"));
    }

    /// <summary>A <c>JsonSerializer.Serialize…(</c> call up to the end of its statement.</summary>
    [GeneratedRegex(@"JsonSerializer\.Serialize\w*\((?:[^;])*;")]
    private static partial Regex SerializerCall();
}
