using System.Text.RegularExpressions;
using SimpleAi.Cli;
using SimpleAi.Cli.Commands;
using SimpleAi.Webhooks.Events;

namespace SimpleAi.Functions.Tests.Documentation;

/// <summary>
/// Every fenced block of README.md and docs/ is either run or checked by a test, named on the line before it
/// (<c>&lt;!-- tested: Class.Method --&gt;</c>), or marked illustrative with why (<c>&lt;!-- illustrative: a diagram
/// --&gt;</c>): a new block without either fails here. The checks of the blocks that cannot run on this machine or in a
/// test's time (Azure, Core Tools, a 30-minute benchmark) are here too: the files, scripts, outputs and flags they name exist.
/// </summary>
public sealed partial class DocumentationBlocksTests
{
    [Fact]
    public void EveryBlock_IsMarkedTestedOrIllustrative()
    {
        var unmarked = ReadmeExamples.Blocks()
            .Where(b => b.Test is null && b.Marker?.StartsWith(DocumentationBlock.IllustrativePrefix, StringComparison.Ordinal) != true)
            .Select(b => $"{b}: a ```{b.Language} block without <!-- tested: Class.Method --> or <!-- illustrative: why --> on the line before it")
            .ToList();

        Assert.True(unmarked.Count == 0, string.Join('\n', unmarked));
    }

    [Fact]
    public void EveryTestedMarker_NamesATestThatReadsTheDocumentation()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var problems = new List<string>();
        foreach (var block in ReadmeExamples.Blocks().Where(b => b.Test is not null))
        {
            var parts = block.Test!.Split('.');
            var file = parts.Length == 2 ? sources.FirstOrDefault(f => Path.GetFileName(f) == parts[0] + ".cs") : null;
            var text = file is null ? string.Empty : File.ReadAllText(file);
            if (file is null || !text.Contains($" {parts[1]}(", StringComparison.Ordinal))
            {
                problems.Add($"{block}: no test {block.Test} (a method {parts[^1]} in tests/**/{parts[0]}.cs)");
            }
            else if (!text.Contains("ReadmeExamples.", StringComparison.Ordinal))
            {
                problems.Add($"{block}: {parts[0]}.cs never reads the documentation (ReadmeExamples)");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>README's Set-up: the Quick start's set-up, then <c>dotnet build</c>, which needs exactly one project or solution in the root.</summary>
    [Fact]
    public void SetUp_IsTheQuickStartsSetUpThenTheBuildOfTheOneSolution()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(DocumentationBlocksTests)}.{nameof(SetUp_IsTheQuickStartsSetUpThenTheBuildOfTheOneSolution)}"));
        var quickStart = Assert.Single(ReadmeExamples.BlocksUnder("## Quick start", "sh"));

        Assert.Equal(["npm ci", "dotnet build"], block.Commands());
        Assert.StartsWith("npm ci ", quickStart, StringComparison.Ordinal);
        var buildable = new[] { "*.sln", "*.slnx", "*.csproj", "*.proj" }.SelectMany(p => Directory.EnumerateFiles(RepoPaths.Root, p)).ToList();
        Assert.Equal(["SimpleAi.Functions.sln"], buildable.Select(Path.GetFileName));
    }

    /// <summary>The test command README and docs/testing.md give is the one CI runs.</summary>
    [Fact]
    public void TestCommand_IsWhatCiRuns()
    {
        var ci = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".ci", "run")).Select(l => l.Trim()).ToList();

        foreach (var block in ReadmeExamples.TestedBy($"{nameof(DocumentationBlocksTests)}.{nameof(TestCommand_IsWhatCiRuns)}"))
        {
            var command = Assert.Single(block.Commands());
            Assert.Equal("dotnet test SimpleAi.Functions.sln", command);
            Assert.Contains(command, ci);
        }
    }

    /// <summary>
    /// README's Deploy cannot run here (Azure): azure.yaml and the hook files it runs exist, the az alternative's files
    /// exist, every <c>azd env get-value</c> is an output of main.bicep, the Key Vault secret is one the template
    /// reads, and <c>register</c> takes the flags as written (against an API that is not there: exit 7, unreachable).
    /// </summary>
    [Fact]
    public async Task DeployCommands_NameWhatTheTemplateTheHooksAndTheCliHave()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(DocumentationBlocksTests)}.{nameof(DeployCommands_NameWhatTheTemplateTheHooksAndTheCliHave)}"));
        var text = block.Body.Replace("\\\n", " ", StringComparison.Ordinal);
        var mainBicep = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.bicep"));
        var azureYaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "azure.yaml"));

        Assert.StartsWith("azd up", block.Commands()[0], StringComparison.Ordinal);
        Assert.Contains("path: infra", azureYaml, StringComparison.Ordinal);
        Assert.All(HookFile().Matches(azureYaml).Select(m => m.Groups[1].Value).Distinct(), file => Assert.True(File.Exists(Path.Combine(RepoPaths.Root, file)), $"azure.yaml runs {file}"));
        Assert.All(BicepFile().Matches(text).Select(m => m.Value).Distinct(), file => Assert.True(File.Exists(Path.Combine(RepoPaths.Root, file)), $"README names {file}"));
        var outputs = EnvValue().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["SIMPLEAI_WEBHOOK_URL", "AZURE_KEY_VAULT_NAME"], outputs);
        Assert.All(outputs, output => Assert.Contains($"output {output} ", mainBicep, StringComparison.Ordinal));
        var secret = SecretName().Match(text).Groups[1].Value;
        Assert.Contains($"'{secret}'", mainBicep, StringComparison.Ordinal);

        var register = RegisterCommand().Match(text);
        Assert.True(register.Success, $"README's register command: {text}");
        var arguments = new[] { "register", "--api-key", "sk_test", "--url", "https://app.example.invalid/api/webhooks/simple-ai",
            "--base-url", $"http://127.0.0.1:{ClosedPort.Find()}/api/v1/" };
        Assert.Equal(["--api-key", "--url"], FlagsOf(register.Value));
        var (code, _, error) = await RunCliAsync(arguments);
        Assert.True(code == ExitCodes.Unreachable, $"exit {code}: {error}");
    }

    /// <summary>docs/architecture.md's queue message: the fields, in the order, that ingest writes (a request without a tracestate header).</summary>
    [Fact]
    public void QueueMessageShape_HasTheFieldsIngestWrites()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(DocumentationBlocksTests)}.{nameof(QueueMessageShape_HasTheFieldsIngestWrites)}"));
        var written = EventMessageCodec.Encode(new EventMessage(
            "evt_1", "call.completed", Guid.NewGuid().ToString("D"), 1, "msg_1", DateTimeOffset.UtcNow, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null, "{}"u8.ToArray()));

        Assert.Equal(Names(written.ToString()), Names(block.Body));

        static List<string> Names(string json)
        {
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateObject().Select(p => p.Name)];
        }
    }

    /// <summary>The two values of <c>-p:QueueTransport</c> docs/architecture.md gives are the default and the one the app's project switches on.</summary>
    [Fact]
    public void QueueTransportBuilds_AreTheTwoTheBuildKnows()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(DocumentationBlocksTests)}.{nameof(QueueTransportBuilds_AreTheTwoTheBuildKnows)}"));
        var props = File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        var project = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "SimpleAi.Functions", "SimpleAi.Functions.csproj"));

        Assert.Equal(["dotnet build -p:QueueTransport=StorageQueues", "dotnet build -p:QueueTransport=ServiceBus"], block.Commands());
        Assert.Contains("<QueueTransport Condition=\"'$(QueueTransport)' == ''\">StorageQueues</QueueTransport>", props, StringComparison.Ordinal);
        Assert.Contains("'$(QueueTransport)' == 'ServiceBus'", project, StringComparison.Ordinal);
    }

    /// <summary>
    /// docs/operations.md's run under Core Tools cannot run here (Core Tools cannot be installed): its npm script, the
    /// file it copies and the folders it copies into and runs in exist.
    /// </summary>
    [Fact]
    public void CoreToolsCommands_NameAScriptAFileAndTheAppsFolder()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(DocumentationBlocksTests)}.{nameof(CoreToolsCommands_NameAScriptAFileAndTheAppsFolder)}"));
        var commands = block.Commands();
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "package.json")));

        Assert.Equal(3, commands.Count);
        Assert.Equal("npm run azurite &", commands[0]);
        Assert.True(package.RootElement.GetProperty("scripts").TryGetProperty("azurite", out _), "package.json has an azurite script");
        var copy = commands[1].Split(' ');
        Assert.Equal("cp", copy[0]);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, copy[1])), copy[1]);
        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, Path.GetDirectoryName(copy[2])!)), copy[2]);
        var run = Regex.Match(commands[2], "^cd (\\S+) && func start$");
        Assert.True(run.Success, commands[2]);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, run.Groups[1].Value, "SimpleAi.Functions.csproj")), run.Groups[1].Value);
    }

    /// <summary>docs/outbound.md's transformation settings: they bind as the app reads workflow.json, and name a file the page says to start from.</summary>
    [Fact]
    public void TransformSnippet_NamesAnExampleFileAndBindsAsTheAppReadsIt()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(DocumentationBlocksTests)}.{nameof(TransformSnippet_NamesAnExampleFileAndBindsAsTheAppReadsIt)}"));
        var settings = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(block.Body))).Build();

        Assert.Equal("fetch-call", settings["Workflow:Steps:0:Step"]);
        Assert.Equal("notify", settings["Workflow:Steps:1:Step"]);
        var transform = settings["Actions:notify:Transform"];
        Assert.Equal("transforms/slack-blocks.js", transform);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "examples", "transformations", Path.GetFileName(transform!))), transform);
    }

    /// <summary>docs/performance.md's benchmark command (about 30 minutes, not run by the tests): the project exists and runs everything for <c>all</c>.</summary>
    [Fact]
    public void BenchmarkCommand_NamesTheProjectAndASuiteItRuns()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(DocumentationBlocksTests)}.{nameof(BenchmarkCommand_NamesTheProjectAndASuiteItRuns)}"));
        var command = Regex.Match(Assert.Single(block.Commands()), "^dotnet run -c Release --project (\\S+) -- (\\S+)$");

        Assert.True(command.Success, block.Body);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, command.Groups[1].Value, "SimpleAi.Benchmarks.csproj")), command.Groups[1].Value);
        Assert.Equal("all", command.Groups[2].Value);
        Assert.Contains("args is [\"all\"]", File.ReadAllText(Path.Combine(RepoPaths.Root, command.Groups[1].Value, "Program.cs")), StringComparison.Ordinal);
    }

    /// <summary>The flags of a <c>dotnet run … -- register …</c> command that go to the CLI.</summary>
    private static List<string> FlagsOf(string command) =>
        [.. command[(command.IndexOf(" -- ", StringComparison.Ordinal) + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.StartsWith("--", StringComparison.Ordinal))];

    private static async Task<(int Code, string Out, string Error)> RunCliAsync(string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await new CliApp(new CliConsole(() => new MemoryStream(), output, error), TimeProvider.System).RunAsync(arguments);
        return (code, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"run: dotnet run --file (\S+)")]
    private static partial Regex HookFile();

    [GeneratedRegex(@"infra/[\w./-]+\.(bicep|json)")]
    private static partial Regex BicepFile();

    [GeneratedRegex(@"azd env get-value (\w+)")]
    private static partial Regex EnvValue();

    [GeneratedRegex(@"--name (\S+)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"dotnet run --project src/SimpleAi.Cli -- register [^\n]*?(?=\s+az |$)")]
    private static partial Regex RegisterCommand();
}
