namespace SimpleAi.Functions.Tests.Actions;

/// <summary>A transformation the app cannot run stops it at start-up, naming the file and where it is wrong.</summary>
public sealed class TransformationStartupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "transforms-" + Guid.NewGuid().ToString("N"));

    public TransformationStartupTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Starts the app as its hosts build it: settings, then workflow.json from the app's directory.</summary>
    private async Task<string?> StartupErrorAsync(string transformSource)
    {
        File.WriteAllText(Path.Combine(_folder, "workflow.json"), """
            { "Workflow": { "Steps": [ { "Step": "fetch-call" }, { "Step": "notify" } ] },
              "Actions": { "notify": { "Transform": "transforms/slack.js" } } }
            """);
        Directory.CreateDirectory(Path.Combine(_folder, "transforms"));
        File.WriteAllText(Path.Combine(_folder, "transforms", "slack.js"), transformSource);
        var settings = TestApp.Settings("UseDevelopmentStorage=true");
        settings["Actions:notify:Url"] = "https://hooks.example.test/services/T/B/x";
        settings["Actions:notify:Secret"] = "whsec_" + Convert.ToBase64String("notify-secret-0123456789abc"u8.ToArray());
        return await StartupCheck.ErrorAsync(configuration => configuration.AddInMemoryCollection(settings).SetBasePath(_folder).AddSimpleAiWorkflowFile());
    }

    [Fact]
    public async Task TransformationNextToWorkflowJson_LetsTheAppStart()
    {
        Assert.Null(await StartupErrorAsync("function handler(webhook) { return webhook; }"));
    }

    [Fact]
    public async Task SyntaxError_StopsStartNamingTheFileAndLine()
    {
        var error = await StartupErrorAsync("function handler(webhook) {\n  return { cancel: true ;\n}\n");

        Assert.Contains(
            "Actions__notify__Transform: transformation transforms/slack.js does not compile: Unexpected token ';' at line 2, column 25.",
            error, StringComparison.Ordinal);
    }
}
