using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>The app's try count and retry delay are the host's: host.json, with the app settings that override it.</summary>
public sealed class HostRetryOptionsTests : IDisposable
{
    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("simpleai-hostjson-");

    public void Dispose() => work.Delete(recursive: true);

    private string HostJson(string queues)
    {
        var path = Path.Combine(work.FullName, "host.json");
        File.WriteAllText(path, $$"""{ "version": "2.0", "extensions": { "queues": { {{queues}} } } }""");
        return path;
    }

    private static ServiceProvider App(string hostJson, Dictionary<string, string?> settings) => new ServiceCollection()
        .AddHostRetries(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), hostJson)
        .BuildServiceProvider();

    [Theory]
    [InlineData(null, null, 5, 30)]
    [InlineData("2", null, 2, 30)]
    [InlineData(null, "00:00:10", 5, 10)]
    [InlineData("9", "00:02:00", 9, 120)]
    public void HostJson_WithItsAzureFunctionsJobHostOverrides_GivesTheTries(string? maxDequeueCount, string? visibilityTimeout, int tries, int delaySeconds)
    {
        using var app = App(HostJson("\"maxDequeueCount\": 5, \"visibilityTimeout\": \"00:00:30\""), new()
        {
            ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = maxDequeueCount,
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = visibilityTimeout,
        });

        var retries = app.GetRequiredService<IOptions<HostRetryOptions>>().Value;

        Assert.Equal(tries, retries.MaxDequeueCount);
        Assert.Equal(TimeSpan.FromSeconds(delaySeconds), retries.VisibilityTimeout);
    }

    /// <summary>Where host.json is silent (or missing), the Storage Queues extension's own defaults, as the host uses them.</summary>
    [Fact]
    public void SilentHostJson_GivesTheExtensionsDefaults()
    {
        using var app = App(HostJson(""), []);

        var retries = app.GetRequiredService<IOptions<HostRetryOptions>>().Value;

        Assert.Equal(new Microsoft.Azure.WebJobs.Host.QueuesOptions().MaxDequeueCount, retries.MaxDequeueCount);
        Assert.Equal(new Microsoft.Azure.WebJobs.Host.QueuesOptions().VisibilityTimeout, retries.VisibilityTimeout);
    }

    [Theory]
    [InlineData("Workflow:MaxDequeueCount", "3", "Workflow__MaxDequeueCount is 3 but the host gives up after 5 tries (host.json's extensions.queues.maxDequeueCount or the app setting AzureFunctionsJobHost__extensions__queues__maxDequeueCount)")]
    [InlineData("Workflow:RetryDelaySeconds", "60", "Workflow__RetryDelaySeconds is 60 but the host waits 30 s before a retry (host.json's extensions.queues.visibilityTimeout or the app setting AzureFunctionsJobHost__extensions__queues__visibilityTimeout)")]
    [InlineData("AzureFunctionsJobHost:extensions:queues:maxDequeueCount", "0", "host.json's extensions.queues.maxDequeueCount or the app setting AzureFunctionsJobHost__extensions__queues__maxDequeueCount is 0: the host needs at least 1 try.")]
    public void AnOldCopyThatDiffers_OrATryCountTheHostCannotRun_StopsTheStart(string setting, string value, string expected)
    {
        using var app = App(HostJson("\"maxDequeueCount\": 5, \"visibilityTimeout\": \"00:00:30\""), new() { [setting] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<HostRetryOptions>>().Value);

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOldCopyThatAgrees_IsHarmless()
    {
        using var app = App(HostJson("\"maxDequeueCount\": 5, \"visibilityTimeout\": \"00:00:30\""), new()
        {
            ["Workflow:MaxDequeueCount"] = "5",
            ["Workflow:RetryDelaySeconds"] = "30",
        });

        Assert.Equal(5, app.GetRequiredService<IOptions<HostRetryOptions>>().Value.MaxDequeueCount);
    }
}
