using System.Reflection;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Connections;

namespace SimpleAi.Functions.Tests.Hosting;

/// <summary>Holds the setting names of the code, local.settings.sample.json and host.json together.</summary>
public sealed class SettingsTests
{
    private static readonly Assembly Core = typeof(WebhooksServiceCollectionExtensions).Assembly;

    /// <summary>
    /// Every options class of the core: those with a <c>Section</c> constant. Action endpoints are named per step
    /// (<c>Actions__&lt;step&gt;__Url</c>) and needed only for steps the workflow runs; the README lists them.
    /// </summary>
    private static IEnumerable<Type> OptionsTypes() =>
        Core.GetTypes().Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true }
            && t != typeof(SimpleAi.Webhooks.Actions.ActionEndpointOptions));

    private static Dictionary<string, string?> SampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString());
    }

    public static TheoryData<string> SettingNamesOfTheCode()
    {
        var names = new TheoryData<string> { ConnectionNames.Storage };
        foreach (var type in OptionsTypes())
        {
            var section = (string)type.GetField("Section")!.GetRawConstantValue()!;
            // Lists (the workflow's steps) are configured in workflow.json, not as flat settings.
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => !typeof(System.Collections.IList).IsAssignableFrom(p.PropertyType)))
            {
                names.Add($"{section}__{property.Name}");
            }
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(SettingNamesOfTheCode))]
    public void EverySettingTheCodeReads_IsInTheLocalSettingsSample(string name)
    {
        Assert.Contains(name, SampleValues().Keys);
    }

    private static Dictionary<string, string?> SampleSettings() =>
        SampleValues().ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => p.Value);

    [Fact]
    public void TheSampleSettingsWithTheirPlaceholdersReplaced_PassStartUpValidation()
    {
        var settings = SampleSettings();
        foreach (var key in settings.Keys.Where(k => SecretSetting.IsUnresolved(settings[k])).ToList())
        {
            settings[key] = "a-real-secret-set-by-the-user";
        }

        using var app = TestApp.Build(settings);

        foreach (var type in OptionsTypes())
        {
            var options = app.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
            var exception = Record.Exception(() => options.GetType().GetProperty("Value")!.GetValue(options));
            Assert.Null(exception);
        }
    }

    [Fact]
    public void TheSampleSettingsAsIs_StopTheAppNamingTheApiKeyToSet()
    {
        using var app = TestApp.Build(SampleSettings());

        var error = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<SimpleAi.Webhooks.SimpleAiApi.SimpleAiApiOptions>>().Value);
        Assert.Contains("SimpleAi__ApiKey still holds the sample's placeholder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostJsonMessageEncoding_MatchesTheSender()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        var encoding = host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString();

        Assert.Equal(AzureConnections.QueueOptions().MessageEncoding.ToString(), encoding, ignoreCase: true);
    }

    [Fact]
    public void TheAppsTryCountAndRetryDelay_AreTheHostsFromHostJson()
    {
        var host = SimpleAi.LocalHost.HostJson.QueuesOptions(RepoPaths.HostJson);
        using var app = TestApp.Build(SampleSettings());

        var retries = app.GetRequiredService<IOptions<HostRetryOptions>>().Value;

        Assert.Equal(host.MaxDequeueCount, retries.MaxDequeueCount);
        Assert.Equal(host.VisibilityTimeout, retries.VisibilityTimeout);
        Assert.DoesNotContain(SampleValues().Keys, k => k is "Workflow__MaxDequeueCount" or "Workflow__RetryDelaySeconds");
    }

    public static TheoryData<string> DocumentationPages() =>
        [.. ReadmeExamples.Pages().Append(Path.Combine(RepoPaths.Root, "infra", "README.md")).Select(p => Path.GetRelativePath(RepoPaths.Root, p))];

    /// <summary>
    /// Every app setting README, docs/ and infra/README name (<c>Section__Name</c>, placeholders such as <c>&lt;step&gt;</c> aside)
    /// is one Azure accepts and <c>sh</c> passes on: letters, digits, '.' and '_' only.
    /// </summary>
    [Theory]
    [MemberData(nameof(DocumentationPages))]
    public void EverySettingNameTheReadmeGives_HoldsOnlyLettersDigitsDotsAndUnderscores(string readme)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, readme));
        var names = System.Text.RegularExpressions.Regex.Matches(text, @"\b[A-Za-z][A-Za-z0-9]*__[^\s`|),:=\]}'""]*")
            .Select(m => m.Value.TrimEnd('.', '…', '>'))
            .ToList();

        Assert.True(names.Count > 0 || !text.Contains("__", StringComparison.Ordinal), "no setting names found");
        Assert.All(names, name => Assert.Matches(@"^[A-Za-z0-9._]+$", System.Text.RegularExpressions.Regex.Replace(name, @"<[a-z ]+>|…|\*$", "x")));
    }

    [Fact]
    public void IngestRoute_IsTheDocumentedPath()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));
        var prefix = host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString();

        Assert.Equal("/api/webhooks/simple-ai", $"/{prefix}/{HttpFunctions.IngestRoute}");
    }
}
