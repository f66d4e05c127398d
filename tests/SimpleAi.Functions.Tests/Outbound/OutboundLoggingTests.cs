using Microsoft.Extensions.Logging;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.PostCall;
using Azure.Storage.Blobs;

namespace SimpleAi.Functions.Tests.Outbound;

/// <summary>
/// Action and call.started endpoint URLs are secrets (a Slack or Teams incoming-webhook URL is its own credential):
/// a real delivery through the app's container, every log level on, leaves no log line or scope with the path.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboundLoggingTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>The shape of a Slack incoming-webhook URL's path: the last segment is the credential.</summary>
    private const string SecretPath = "/services/T000/B000/SECRET";

    private readonly RecordingLoggerProvider _logs = new();
    private FakeHttpServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeHttpServer.StartAsync();
        using var app = App();
        await StorageProvisioning.EnsureAsync(app.GetRequiredService<TableServiceClient>(), app.GetRequiredService<BlobServiceClient>(), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ServiceProvider App(Action<Dictionary<string, string?>>? change = null)
    {
        var settings = TestApp.Settings(azurite.ConnectionString);
        change?.Invoke(settings);
        return TestApp.Build(settings, _logs, services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace)));
    }

    private void AssertDeliveredWithoutLoggingThePath()
    {
        Assert.Single(_server.To(SecretPath));
        Assert.Contains(_logs.Lines, l => l.Contains(_server.BaseUrl.Authority, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Everything, l => l.Contains("B000/SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ActionDelivery_NeverLogsTheEndpointsPath()
    {
        using var app = App(s =>
        {
            s["Actions:notify:Url"] = _server.Url(SecretPath).ToString();
            s["Actions:notify:Secret"] = TestSigning.OtherSecret;
        });
        var callId = Guid.NewGuid().ToString();
        var snapshot = await app.GetRequiredService<CallSnapshotStore>().SaveAsync(callId, RepoPaths.FixtureBytes("get-call-completed.json"), CancellationToken.None);

        await app.GetRequiredKeyedService<IWorkflowStep>(ActionStep.Notify).ExecuteAsync(
            new StepContext("run-1", callId, "evt_1", ActionStep.Notify, new Dictionary<string, string> { [CallSnapshotStore.RunDataKey] = snapshot }, 1, $"{callId}:{ActionStep.Notify}"),
            CancellationToken.None);

        AssertDeliveredWithoutLoggingThePath();
    }

    [Fact]
    public async Task CallStartedForward_NeverLogsTheEndpointsPath()
    {
        using var app = App(s =>
        {
            s["CallStarted:Url"] = _server.Url(SecretPath).ToString();
            s["CallStarted:Secret"] = TestSigning.OtherSecret;
        });
        var callId = Guid.NewGuid().ToString();

        await app.GetRequiredService<CallRecords>().StartedAsync(
            new EventMessage("evt_started", EventTypes.CallStarted, callId, 1, null, DateTimeOffset.UtcNow, null, null, RepoPaths.FixtureBytes("webhook-call-started.json")),
            "queue-message-1",
            CancellationToken.None);

        AssertDeliveredWithoutLoggingThePath();
    }
}
