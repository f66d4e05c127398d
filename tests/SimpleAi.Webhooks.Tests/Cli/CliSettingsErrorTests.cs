using SimpleAi.Cli;
using SimpleAi.Cli.Commands;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary>A settings file the CLI cannot read is reported as the app reports it: the list, the file and line, no stack trace.</summary>
public sealed class CliSettingsErrorTests : IDisposable
{
    private readonly string _settings = Path.Combine(Path.GetTempPath(), $"cli-settings-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_settings);

    [Fact]
    public async Task SettingsFileThatIsNotJson_PrintsTheConfigurationErrorListAndExits78()
    {
        File.WriteAllText(_settings, "{\n  \"Values\": {\n    \"SimpleAiStorage\": \"UseDevelopmentStorage=true\",\n    \"Queues__Transport\": storageQueues\n  }\n}\n");
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(() => new MemoryStream(), output, error, _ => null);

        var code = await new CliApp(console, TimeProvider.System).RunAsync(["status", "--settings", _settings, Guid.NewGuid().ToString()]);

        Assert.Equal(78, code);
        Assert.Equal(ExitCodes.Configuration, code);
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Configuration error: nothing was started; fix this and start again.", lines[0]);
        Assert.StartsWith($"  - {_settings}:4:26: not valid JSON: ", Assert.Single(lines[1..]), StringComparison.Ordinal);
    }
}
