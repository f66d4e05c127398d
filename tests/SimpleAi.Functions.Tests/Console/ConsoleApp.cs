using System.Globalization;
using System.Text.Json.Nodes;

namespace SimpleAi.Functions.Tests.Console;

/// <summary>
/// The app on the local host (<see cref="WorkflowHarness"/>: Azurite, the real queue listeners, the HTTP functions on
/// Kestrel) with a workflow of <c>fetch-call</c> then <c>crm-sync</c>, and a local HTTP server playing the Simple AI API
/// and the CRM. Calls are seeded through the app's own paths: signed deliveries to the webhook endpoint.
/// </summary>
public sealed class ConsoleApp : IAsyncDisposable
{
    public const string Crm = "/crm";
    private const string CrmSecret = "whsec_Y3JtLXN5bmMtc2VjcmV0LTAxMjM0NTY3ODk=";

    private ConsoleApp(WorkflowHarness harness, FakeHttpServer server)
    {
        Harness = harness;
        Server = server;
    }

    public WorkflowHarness Harness { get; }

    public FakeHttpServer Server { get; }

    /// <summary>The console's address: <c>http://127.0.0.1:port/api/console/</c>.</summary>
    public Uri ConsoleUrl => new(Harness.Host.BaseAddress!, "api/console/");

    /// <param name="change">More of the app's configuration, after the console's own.</param>
    public static async Task<ConsoleApp> StartAsync(string storage, Func<WorkflowHarnessBuilder, WorkflowHarnessBuilder>? change = null)
    {
        var server = await FakeHttpServer.StartAsync();
        server.Default(Crm, FakeResponse.Json("{}"));
        var app = WorkflowHarness.Create(storage)
            .WithSteps("fetch-call", "crm-sync")
            .WithSimpleAiApi(server.Url("api/v1"))
            .WithAction("crm-sync", server.Url(Crm), CrmSecret)
            .WithSetting("Actions:crm_sync:RetrySchedule", "1s")
            .WithTranscriptCoalescing(TimeSpan.FromMilliseconds(200));
        var harness = await (change?.Invoke(app) ?? app).StartAsync();
        return new ConsoleApp(harness, server);
    }

    /// <summary>Serves the call from the API: the sample call, started 5 minutes ago, its first <paramref name="lines"/> lines; live or ended.</summary>
    public void ServeCall(string callId, int lines = 5, bool live = false, string from = "+15551234567")
    {
        var call = JsonNode.Parse(RepoPaths.FixtureBytes("get-call-completed.json"))!.AsObject();
        var now = DateTimeOffset.UtcNow;
        call["id"] = callId;
        call["from_number"] = from;
        call["started_at"] = now.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture);
        call["ended_at"] = live ? null : now.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
        call["status"] = live ? "in_progress" : "completed";
        var transcripts = call["transcripts"]!.AsArray();
        while (transcripts.Count > lines)
        {
            transcripts.RemoveAt(transcripts.Count - 1);
        }

        Server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(Encoding.UTF8.GetBytes(call.ToJsonString())));
    }

    /// <summary>A call that ended and ran its workflow (to completion, or to its failure): started, completed.</summary>
    public async Task<(string CallId, string EventId)> EndedCallAsync(string from = "+15551234567")
    {
        var callId = Guid.NewGuid().ToString("D");
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        ServeCall(callId, from: from);
        await PostAsync("call.started", callId);
        await PostAsync("call.completed", callId, eventId);
        await Harness.RunUntilIdleAsync(90);
        return (callId, eventId);
    }

    /// <summary>A live call with <paramref name="lines"/> transcript lines stored.</summary>
    public async Task<string> LiveCallAsync(int lines, string from = "+15559870001")
    {
        var callId = Guid.NewGuid().ToString("D");
        ServeCall(callId, lines, live: true, from: from);
        await PostAsync("call.started", callId);
        await PostAsync("call.transcript_update", callId);
        await Harness.RunUntilIdleAsync(60);
        return callId;
    }

    public async Task PostAsync(string type, string callId, string? eventId = null)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            event_type = type,
            event_id = eventId ?? "evt_" + Guid.NewGuid().ToString("N"),
            payload = new { call_id = callId, attempt = 1 },
        }));
        var response = await Harness.PostAsync(body, "msg_" + Guid.NewGuid().ToString("N"));
        Assert.Equal(202, response.Status);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Server.DisposeAsync();
    }
}
