using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Tests.Hosting;

/// <summary>The one "Configuration error" list every host prints: each problem once, named as the user sets it, files with their lines.</summary>
public sealed class ConfigurationErrorsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("configerrors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Dictionary<string, string?> ValidSettings() => new()
    {
        ["SimpleAiStorage"] = "UseDevelopmentStorage=true",
        ["Webhook:SigningSecrets"] = TestSigning.Secret,
        ["SimpleAi:ApiKey"] = TestApp.TestApiKey,
    };

    /// <summary>Starts the app's services as Program.cs does (settings, then workflow.json from <see cref="_folder"/>) under a <see cref="StartupGuard"/>.</summary>
    private async Task<(int Code, string Output)> StartAsync(Dictionary<string, string?> settings)
    {
        var output = new StringWriter();
        var guard = new StartupGuard(output);
        var code = await guard.RunAsync(async () =>
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            guard.Configuration = builder.Configuration;
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration.SetBasePath(_folder).AddJsonFile("workflow.json", optional: true);
            builder.Services.AddSimpleAiWebhooks(builder.Configuration, QueueTransport.StorageQueues);
            using var host = builder.Build();
            await host.StartAsync();
            await host.StopAsync();
        });
        return (code, output.ToString());
    }

    [Fact]
    public async Task MissingSecretsAndBadRanges_AreListedOnceEachUnderTheirSettingNames()
    {
        var settings = ValidSettings();
        settings.Remove("Webhook:SigningSecrets");
        settings["SimpleAi:ApiKey"] = "replace-with-your-simple-ai-api-key";
        settings["Ingest:RetryAfterSeconds"] = "0";

        var (code, output) = await StartAsync(settings);

        Assert.Equal(ConfigurationErrors.ExitCode, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("Configuration error: nothing was started; fix these 3 and start again.", lines[0]);
        string[] expected =
        [
            "- Ingest__RetryAfterSeconds must be between 1 and 3600.",
            "- SimpleAi__ApiKey still holds the sample's placeholder: set it to the real secret.",
            "- Webhook__SigningSecrets is required (one or more whsec_ secrets, separated by spaces).",
        ];
        Assert.Equal(expected, lines[1..].Order(StringComparer.Ordinal));
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("DataAnnotation", output, StringComparison.Ordinal);
    }

    [Fact]
    public void DataAnnotationFailure_NamesTheSettingNotTheMember()
    {
        var exception = new OptionsValidationException(string.Empty, typeof(SimpleAiApiOptions),
        [
            "DataAnnotation validation failed for 'SimpleAiApiOptions' members: 'TimeoutSeconds' with the error: 'The field TimeoutSeconds must be between 1 and 120.'.",
            "DataAnnotation validation failed for 'SimpleAiApiOptions' members: 'BaseUrl' with the error: 'The BaseUrl field is required.'.",
            "DataAnnotation validation failed for 'SimpleAiApiOptions' members: 'AuthScheme' with the error: 'is odd'.",
        ]);

        Assert.Equal(
            ["SimpleAi__TimeoutSeconds must be between 1 and 120.", "SimpleAi__BaseUrl is required.", "SimpleAi__AuthScheme: is odd."],
            ConfigurationErrors.Problems(exception));
    }

    [Fact]
    public void SameProblemFromTwoChecks_IsListedOnce()
    {
        var required = new OptionsValidationException(string.Empty, typeof(SimpleAiApiOptions),
            ["DataAnnotation validation failed for 'SimpleAiApiOptions' members: 'ApiKey' with the error: 'SimpleAi__ApiKey is required (the Simple AI API key).'."]);
        var validator = new OptionsValidationException(string.Empty, typeof(SimpleAiApiOptions), ["SimpleAi__ApiKey is required (the Simple AI API key)."]);

        var problems = ConfigurationErrors.Problems(new AggregateException(required, validator));

        Assert.Equal(["SimpleAi__ApiKey is required (the Simple AI API key)."], problems);
    }

    [Fact]
    public void WorkflowFileThatIsNotJson_IsNamedWithItsOneBasedLineAndColumn()
    {
        var path = Path.Combine(_folder, "workflow.json");
        File.WriteAllText(path, "{\n  \"Workflow\": {\n    \"Steps\": [\n      { \"Step\": \"fetch-call\" },\n      { \"Step\": \"notify\",\n        \"When\": [ { \"Field\": \"answered_by\" \"Op\": \"eq\" } ] }\n    ]\n  }\n}\n");

        var exception = Record.Exception(() => new ConfigurationBuilder().SetBasePath(_folder).AddJsonFile("workflow.json").Build());

        Assert.True(ConfigurationErrors.IsConfigurationError(exception));
        var problem = Assert.Single(ConfigurationErrors.Problems(exception));
        Assert.Equal($"{path}:6:44: not valid JSON: '\"' is invalid after a value. Expected either ',', '}}', or ']'.", problem);
    }

    [Fact]
    public async Task WorkflowStepProblems_NameTheLineOfTheStepOrItsField()
    {
        File.WriteAllText(Path.Combine(_folder, "workflow.json"), """
            {
              "Workflow": {
                "Steps": [
                  { "Step": "fetch-call" },
                  { "Step": "notify",
                    "When": [ { "Field": "answered_by", "Op": "eq", "Value": "human" },
                              { "Field": "duraton", "Op": "gt", "Value": "30" } ] },
                  { "Step": "crm-synk" }
                ]
              }
            }
            """);
        var settings = ValidSettings();
        settings["Actions:notify:Url"] = "https://hooks.example.com/notify";
        settings["Actions:notify:Secret"] = TestSigning.OtherSecret;

        var (code, output) = await StartAsync(settings);

        Assert.Equal(ConfigurationErrors.ExitCode, code);
        var file = Path.Combine(_folder, "workflow.json");
        Assert.Contains($"  - {file}:7: Workflow step 'notify', condition 'duraton gt 30': unknown field 'duraton': did you mean 'duration'?", output, StringComparison.Ordinal);
        Assert.Contains($"  - {file}:8: Workflow step 'crm-synk' is unknown: did you mean 'crm-sync'?", output, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalSettingsThatAreNotJson_AreAConfigurationErrorWithTheirLine()
    {
        var path = Path.Combine(_folder, "local.settings.json");
        File.WriteAllText(path, "{\n  \"Values\": {\n    \"SimpleAiStorage\": \"UseDevelopmentStorage=true\"\n    \"Queues__Transport\": \"storageQueues\"\n  }\n}\n");

        var exception = Record.Exception(() => LocalSettingsFile.Read(path));

        Assert.True(ConfigurationErrors.IsConfigurationError(exception));
        Assert.StartsWith($"{path}:4:5: not valid JSON: ", Assert.Single(ConfigurationErrors.Problems(exception)), StringComparison.Ordinal);
    }

    [Fact]
    public void FileInTheRepository_IsShownFromTheRepositoryRoot()
    {
        Assert.Equal("src/SimpleAi.Functions/workflow.json", ConfigurationErrors.DisplayPath(Path.Combine(RepoPaths.Root, "src", "SimpleAi.Functions", "workflow.json")));
        Assert.Equal("/elsewhere/workflow.json", ConfigurationErrors.DisplayPath("/elsewhere/workflow.json"));
    }

    [Fact]
    public async Task ExceptionThatIsNoConfigurationMistake_IsNotTurnedIntoTheList()
    {
        var guard = new StartupGuard(new StringWriter());

        await Assert.ThrowsAsync<InvalidOperationException>(() => guard.RunAsync(() => throw new InvalidOperationException("a bug")));
        Assert.False(ConfigurationErrors.IsConfigurationError(new AggregateException(new OptionsValidationException("x", typeof(object), ["x"]), new InvalidOperationException())));
    }

    [Fact]
    public void Format_PutsTheTitleFirstAndOneLinePerProblem()
    {
        Assert.Equal(
            $"Configuration error: nothing was started; fix this and start again.{Environment.NewLine}  - A__B is required.{Environment.NewLine}",
            ConfigurationErrors.Format(["A__B is required."]));
    }
}
