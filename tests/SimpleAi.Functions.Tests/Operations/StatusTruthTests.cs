using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace SimpleAi.Functions.Tests.Operations;

/// <summary>
/// Issue 22: <c>status</c> states the truth of the moment: a step the host retries is <c>retrying</c> with the host's
/// try count and its next try, a delivery the app accepted but has not routed yet is shown as such, and every step shows
/// its first and last try. README's example is this output.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class StatusTruthTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Crm = "/crm";
    private const string Secret = "whsec_Y3JtLXN5bmMtc2VjcmV0LTAxMjM0NTY3ODk=";

    private FakeHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<(int Code, string Out, string Error)> CliAsync(params string[] args) => CliRun.WithStorageAsync(azurite.ConnectionString, args);

    /// <summary>
    /// A step that threw on the host's first of five tries is retried by the host after its visibility timeout: it is
    /// <c>retrying</c>, try 2 of 5 is due one visibility timeout after the failure, and the run is in progress (exit 3).
    /// It was shown <c>failed</c> with no next try.
    /// </summary>
    [Fact]
    public async Task Status_OfAStepTheHostRetries_ShowsRetryingWithTheHostsTryAndItsNextTry()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithSetting("AzureFunctionsJobHost:extensions:queues:visibilityTimeout", "00:01:00")
            .WithQueues(queues => queues.VisibilityTimeout = TimeSpan.FromMinutes(1))
            .StartAsync();
        harness.Effects.FaultAfterEffect = c => c.Step == "b" ? new HttpRequestException("connection refused") : null;
        var callId = Guid.NewGuid().ToString("D");

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await Conditions.WaitAsync(
            async () => (await harness.RunOfAsync(callId))?.Steps.GetValueOrDefault("b") is { Attempts: 1, FinishedAt: not null },
            TimeSpan.FromSeconds(30), "step b's first try recorded");
        var (code, output, error) = await CliAsync("status", callId);
        var (_, json, _) = await CliAsync("status", callId, "--json");

        Assert.True(code == 3, output + error);
        Assert.Matches(@"\n  b\s+retrying\s+tries 1\s", output);
        Assert.Matches(@"\n    try 1\s+\S+ \S+\s+connection refused; try 2 of 5 in 00:01:00  next try \d{4}-", output);
        using var document = JsonDocument.Parse(json);
        var b = Assert.Single(document.RootElement.GetProperty("run").GetProperty("steps").EnumerateArray(), s => s.GetProperty("step").GetString() == "b");
        Assert.Equal("retrying", b.GetProperty("status").GetString());
        var attempt = Assert.Single(b.GetProperty("attempts").EnumerateArray());
        Assert.Equal(TimeSpan.FromMinutes(1), attempt.GetProperty("next_at").GetDateTimeOffset() - attempt.GetProperty("at").GetDateTimeOffset());
    }

    /// <summary>
    /// Right after the 202, before the <c>events</c> message is routed, the call is known: the delivery is shown as
    /// accepted and not routed yet, and the exit code is "in progress" (3). It was "nothing is known" (4).
    /// </summary>
    [Fact]
    public async Task Status_RightAfterA202_ShowsTheDeliveryAcceptedNotRoutedYet()
    {
        // The app without its queue listeners: the accepted event waits in the events queue, as it does for the moment
        // between the 202 and the router taking it.
        await using (await WorkflowHarness.Create(azurite.ConnectionString).StartAsync())
        {
        }

        await using var app = TestApp.Build(TestApp.Settings(azurite.ConnectionString));
        var callId = Guid.NewGuid().ToString("D");
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var body = WorkflowHarness.CallCompleted(callId, eventId);
        var response = await HttpInvoker.InvokeAsync(
            app.GetRequiredService<HttpFunctions>().WebhookIngest, "POST", new MemoryStream(body), body.Length, "application/json",
            Signed(body, "msg_accepted"));
        Assert.Equal(202, response.Status);

        var (code, output, error) = await CliAsync("status", callId);
        var byEvent = await CliAsync("status", eventId);
        var (_, json, _) = await CliAsync("status", callId, "--json");
        await new QueueServiceClient(azurite.ConnectionString).GetQueueClient(QueueNames.Events).ClearMessagesAsync();

        Assert.True(code == 3, output + error);
        Assert.Contains($"call {callId}", output, StringComparison.Ordinal);
        Assert.Matches($@"\n  \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d  call\.completed  {eventId}  attempt 1  msg_accepted  accepted, not routed yet", output);
        Assert.Equal(3, byEvent.Code);
        Assert.Contains("accepted, not routed yet", byEvent.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var delivery = Assert.Single(document.RootElement.GetProperty("deliveries").EnumerateArray());
        Assert.False(delivery.GetProperty("routed").GetBoolean());
    }

    /// <summary>
    /// README's example in "Retries and rate limits" is the real output of <c>status</c> for a call whose CRM answered
    /// 503 twice (the default schedule: 5 s, then 1 min), on a fake clock: each step shows its first and last try. It
    /// showed the last try's start as if it were the first's.
    /// </summary>
    [Fact]
    public async Task Status_OfARetriedDelivery_IsReadmesExample()
    {
        const string CallId = "123e4567-e89b-12d3-a456-426614174000";
        const string EventId = "evt_8f14e45fceea167a5a36dedd4bea2543";
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 11, 40, 2, TimeSpan.Zero));
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithServices(services => DelaysAdvance(services, clock))
            .WithSteps("fetch-call", "crm-sync")
            .WithSimpleAiApi(_server.Url("api/v1"))
            .WithAction("crm-sync", new Uri($"http://localhost:{_server.Url(Crm).Port}{Crm}"), Secret)
            .StartAsync();
        await ForgetAsync((TableNames.Runs, CallId), (TableNames.Deliveries, EventId));
        _server.Default($"/api/v1/calls/{CallId}", FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json")));
        _server.Script(Crm, FakeResponse.Text(503), FakeResponse.Text(503), FakeResponse.Json("{}"));

        await harness.PostAsync(WorkflowHarness.CallCompleted(CallId, EventId), "msg_2Yw7cJ1dTq0wVh9fYkQ6bM3xZs", signedAt: clock.GetUtcNow());
        await harness.RunUntilIdleAsync(60);
        var (code, output, _) = await CliAsync("status", CallId);

        Assert.Equal(0, code);
        var example = ReadmeExamples.BlocksUnder("## Retries and rate limits", string.Empty)[0];
        Assert.Equal(Lines(example), Lines(output));
    }

    private static KeyValuePair<string, string>[] Signed(byte[] body, string webhookId)
    {
        var headers = TestSigning.Sign(body, DateTimeOffset.UtcNow, webhookId);
        return [new("webhook-id", headers.Id!), new("webhook-timestamp", headers.Timestamp!), new("webhook-signature", headers.Signature!)];
    }

    /// <summary>The fixed ids of README's example may be in a storage an earlier run left (a reused Azurite).</summary>
    private async Task ForgetAsync(params (string Table, string Key)[] rows)
    {
        var tables = new TableServiceClient(azurite.ConnectionString);
        foreach (var (table, key) in rows)
        {
            await tables.GetTableClient(table).DeleteEntityAsync(key, key);
        }
    }

    private static string[] Lines(string text) => [.. text.Replace("\r", string.Empty, StringComparison.Ordinal).Trim('\n').Split('\n').Select(l => l.TrimEnd())];

    /// <summary>A delayed send (a deferred try) moves the fake clock on by its delay and goes out at once.</summary>
    private static void DelaysAdvance(IServiceCollection services, FakeTimeProvider clock)
    {
        services.AddSingleton<TimeProvider>(clock);
        var sender = services.Last(d => d.ServiceType == typeof(IQueueSender));
        services.Replace(ServiceDescriptor.Singleton<IQueueSender>(provider => new ClockSender(
            (IQueueSender)(sender.ImplementationInstance
                ?? sender.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, sender.ImplementationType!)),
            clock)));
    }

    private sealed class ClockSender(IQueueSender inner, FakeTimeProvider clock) : IQueueSender
    {
        public Task SendAsync(OutboundMessage message, CancellationToken cancellationToken)
        {
            if (message.VisibleAfter is { } delay && delay > TimeSpan.Zero)
            {
                clock.Advance(delay);
                message = message with { VisibleAfter = null };
            }

            return inner.SendAsync(message, cancellationToken);
        }
    }
}
