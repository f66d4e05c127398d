using Microsoft.Extensions.Logging;
using SimpleAi.Cli;
using SimpleAi.Cli.Commands;
using SimpleAi.Cli.Local;
using SimpleAi.LocalHost;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions.Tests.PreCall;

/// <summary>
/// The worked example of docs/precall.md as local.settings.sample.json configures it: the app under the local host
/// (real HTTP), the fake CRM and tickets sources of <c>fake-sources</c>, and <c>simpleai-webhooks precall</c> asking it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PreCallCliTests(AzuriteFixture azurite)
{
    private const string Dana = "+15551234567";

    /// <summary>The sample's pre-call settings, with its sources pointed at <paramref name="sources"/>.</summary>
    private static Dictionary<string, string?> SamplePreCall(Uri sources)
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        var settings = sample.RootElement.GetProperty("Values").EnumerateObject()
            .Where(p => p.Name.StartsWith("PreCall__", StringComparison.Ordinal) && p.Name != "PreCall__BearerToken")
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => p.Value.GetString());
        foreach (var key in settings.Keys.Where(k => k.EndsWith(":Url", StringComparison.Ordinal)).ToList())
        {
            settings[key] = new Uri(sources, new Uri(settings[key]!).AbsolutePath.TrimStart('/')).ToString();
        }

        return settings;
    }

    private static async Task<(int Code, string Out, string Error)> CliAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(() => new MemoryStream(), output, error, _ => null);
        var code = await new CliApp(console, TimeProvider.System).RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task PreCallCommand_OnTheWorkedExample_PrintsTheParametersEachSourceAndTheRules()
    {
        await using var sources = await LocalPreCallSources.StartAsync(new LocalPreCallSourcesOptions { Url = new Uri("http://127.0.0.1:0") });
        var settings = TestApp.Settings(azurite.ConnectionString);
        foreach (var (key, value) in SamplePreCall(sources.Url))
        {
            settings[key] = value;
        }

        await using var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            ConfigureLogging = logging => logging.AddProvider(new RecordingLoggerProvider()),
            HostLogLevel = LogLevel.Warning,
        });
        // As docs/precall.md does: the example's contacts imported with the CLI.
        var imported = await CliRun.WithStorageAsync(azurite.ConnectionString, "contacts", "import", Path.Combine(RepoPaths.Root, "examples/precall/contacts.csv"));
        Assert.True(imported.Code == 0, imported.Error);

        var (code, output, error) = await CliAsync("precall", "--from", "(555) 123-4567", "--url", new Uri(host.BaseAddress!, "api/precall").ToString(), "--token", TestApp.PreCallToken);
        var page = Assert.Single(ReadmeExamples.TestedBy($"{nameof(PreCallCliTests)}.{nameof(PreCallCommand_OnTheWorkedExample_PrintsTheParametersEachSourceAndTheRules)}"));

        Assert.True(code == 0, error);
        // docs/precall.md shows this output: every parameter but route (it depends on the hour) with its value.
        foreach (var line in page.Body.Split('\n').SkipWhile(l => !l.StartsWith("Parameters", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)))
        {
            var (name, value) = (line.Trim().Split(' ', 2)[0], line.Trim().Split(' ', 2)[1].Trim());
            if (name != "route")
            {
                Assert.Matches($@"\n  {name}\s+{System.Text.RegularExpressions.Regex.Escape(value)}\n", output);
            }
        }

        Assert.Matches(@"customer_name\s+Dana Ortiz", output);
        Assert.Matches(@"crm_plan\s+enterprise", output);
        Assert.Matches(@"open_tickets\s+1", output);
        Assert.Matches(@"latest_ticket\s+T-1042", output);
        Assert.Matches(@"priority\s+high", output);
        Assert.Matches(@"\n  contact\s+answered\s+\d+\.\d ms", output);
        Assert.Matches(@"\n  crm\s+answered\s+\d+\.\d ms", output);
        Assert.Matches(@"\n  tickets\s+answered\s+\d+\.\d ms", output);
        Assert.Matches(@"\n  priority\s+fired by PreCall__Rules__0", output);
        Assert.Matches(@"\n  route\s+(fired by PreCall__Rules__[23]|not_fired)", output);
        Assert.Contains("Transformation: none", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkedExampleCommands_NameTheCliCommandsAndTheFileTheyUse()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(PreCallCliTests)}.{nameof(WorkedExampleCommands_NameTheCliCommandsAndTheFileTheyUse)}"));
        var cli = block.Commands().Where(c => c.StartsWith("dotnet run --project src/SimpleAi.Cli -- ", StringComparison.Ordinal)).ToList();

        Assert.Contains("npm start", block.Commands());
        Assert.Equal(["fake-sources", "contacts", "precall"], cli.Select(c => c.Split(" -- ")[1].Split(' ')[0]));
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "examples/precall/contacts.csv")));
        foreach (var command in cli)
        {
            // Each parses: --help of the same command line answers 0.
            var args = command.Split(" -- ")[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(1).Append("--help").ToArray();
            var (code, _, error) = await CliAsync(args);
            Assert.True(code == 0, $"{command}: {error}");
        }
    }

    [Fact]
    public async Task PreCallCommand_WithAWrongToken_SaysTheAppRefusedIt()
    {
        await using var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(TestApp.Settings(azurite.ConnectionString)).Build(),
            ConfigureLogging = logging => logging.AddProvider(new RecordingLoggerProvider()),
            HostLogLevel = LogLevel.Warning,
        });

        var (code, _, error) = await CliAsync("precall", "--from", Dana, "--url", new Uri(host.BaseAddress!, "api/precall").ToString(), "--token", "wrong");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("the app answered 401: Send Authorization: Bearer", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreCallCommand_WithNoAppListening_SaysSo()
    {
        var (code, _, error) = await CliAsync("precall", "--from", Dana, "--url", $"http://127.0.0.1:{ClosedPort.Find()}/api/precall", "--token", "t");

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Contains("is the app running?", error, StringComparison.Ordinal);
    }
}
