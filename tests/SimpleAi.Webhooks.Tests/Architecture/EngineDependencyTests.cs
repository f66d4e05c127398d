using System.Text.RegularExpressions;

namespace SimpleAi.Webhooks.Tests.Architecture;

/// <summary>The workflow engine (Workflow/, Rules/) is a library features use: it names none of them.</summary>
public sealed partial class EngineDependencyTests
{
    private static readonly string[] EngineFolders = ["Workflow", "Rules"];

    [Fact]
    public void EngineFiles_ReferenceNoFeatureNamespace()
    {
        var engineFiles = EngineFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", "SimpleAi.Webhooks", folder), "*.cs", SearchOption.AllDirectories))
            .ToList();

        var references = engineFiles
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && FeatureReference().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(RepoPaths.Root, l.file)}:{l.number}: {l.line.Trim()}")
            .ToList();

        Assert.NotEmpty(engineFiles);
        Assert.True(references.Count == 0, "The engine names a feature:\n" + string.Join("\n", references));
    }

    [Theory]
    [InlineData("using SimpleAi.Webhooks.PostCall;")]
    [InlineData("        var x = SimpleAi.Webhooks.Actions.ActionStep.HttpClientName;")]
    [InlineData("    catch (Transcripts.KeywordTrigger e)")]
    [InlineData("using Api = SimpleAi.Webhooks.SimpleAiApi.SimpleAiClient;")]
    public void FeatureReference_IsRecognised(string line)
    {
        Assert.Matches(FeatureReference(), line);
    }

    [Theory]
    [InlineData("using SimpleAi.Webhooks.Queues;")]
    [InlineData("    catch (Rules.RuleEvaluationException e)")]
    [InlineData("    public const string Section = \"Workflow\";")]
    public void EngineOwnReference_IsNotAFeatureReference(string line)
    {
        Assert.DoesNotMatch(FeatureReference(), line);
    }

    /// <summary>A feature namespace by <c>using</c>, fully qualified, or relative to <c>SimpleAi.Webhooks</c>.</summary>
    [GeneratedRegex(@"(?<![\w.])(SimpleAi\.Webhooks\.)?(PostCall|Actions|Transcripts|PreCall|Calls|Ingest|Destinations|Routing|Operations|SimpleAiApi)\.[A-Z]|SimpleAi\.Webhooks\.(PostCall|Actions|Transcripts|PreCall|Calls|Ingest|Destinations|Routing|Operations|SimpleAiApi)\b")]
    private static partial Regex FeatureReference();
}
