extern alias infra;

using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SimpleAi.Webhooks.Destinations;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Rules;
using infra::SimpleAi.Infra.Tests;

namespace SimpleAi.Functions.Tests.Telemetry;

/// <summary>
/// The app's telemetry as Application Insights receives it: the app runs with its real telemetry registration and the
/// real Azure Monitor exporter, whose connection string points at a local ingestion endpoint
/// (<see cref="IngestionCapture"/>). Real paths emit every signal the alerts and the workbook read (ingest answered
/// 202 (one a duplicate), 401 and 503, a step failing for good so its run fails and its message is poisoned, the host's poison copy
/// taken in by the sweep); the providers are flushed and the posted envelopes are read back. Every alert and workbook
/// query of the compiled template must name a table, item name and dimensions that a captured envelope carries.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TelemetryCaptureTests(AzuriteFixture azurite, InfrastructureTemplateTests.Template template)
    : IClassFixture<InfrastructureTemplateTests.Template>
{
    private static readonly string PausedDestination = "capture-crm-" + Guid.NewGuid().ToString("N")[..8];

    private static readonly SemaphoreSlim CaptureOnce = new(1, 1);
    private static IReadOnlyList<CapturedEnvelope>? captured;
    private static IReadOnlyList<string>? postedTo;

    [Fact]
    public async Task AlertQueries_NameTablesItemsAndDimensionsTheAppSends()
    {
        var envelopes = await CaptureAsync();

        var unmatched = Unmatched(AlertQueries(), envelopes);

        Assert.True(unmatched.Count == 0, Report(unmatched, envelopes));
    }

    [Fact]
    public async Task WorkbookQueries_NameTablesItemsAndDimensionsTheAppSends()
    {
        var envelopes = await CaptureAsync();

        var unmatched = Unmatched(WorkbookQueries(), envelopes);

        Assert.True(unmatched.Count == 0, Report(unmatched, envelopes));
    }

    [Fact]
    public async Task EachPath_ArrivesAsAMetricWithItsDimensions()
    {
        var envelopes = await CaptureAsync();

        var answers = Sum(envelopes, "simpleai.webhooks.ingest.responses", "status_code");
        var durations = Metric(envelopes, "simpleai.webhooks.ingest.duration").ToList();
        var stepTries = Sum(envelopes, "simpleai.webhooks.step.duration", "step", "outcome", "count");
        var runsFailed = Sum(envelopes, "simpleai.webhooks.runs.failed", "step", "cause");
        var poisoned = Sum(envelopes, "simpleai.webhooks.poison.moves", "queue", "origin");
        var destinations = Sum(envelopes, "simpleai.webhooks.destination.state_changes", "destination", "state", "by");
        var skippedForField = Sum(envelopes, "simpleai.webhooks.step.skipped_for_field", "step", "field", "cause");

        Assert.Equal(3, answers.GetValueOrDefault("202"));
        Assert.Equal(1, answers.GetValueOrDefault("401"));
        Assert.Equal(1, answers.GetValueOrDefault("503"));
        // A histogram arrives as one envelope per series with count, sum, min and max (no buckets: no percentiles).
        Assert.All(durations, d => Assert.NotNull(d["count"]));
        Assert.All(durations, d => Assert.NotNull(d["max"]));
        Assert.Equal(5, durations.Sum(d => d["count"]!.GetValue<int>()));
        Assert.Equal(1, stepTries.GetValueOrDefault("b/failed"));
        Assert.Equal(1, runsFailed.GetValueOrDefault("b/step_failed"));
        Assert.Equal(1, poisoned.GetValueOrDefault($"{QueueNames.Step("b")}/app"));
        Assert.Equal(1, poisoned.GetValueOrDefault($"{QueueNames.Step("c")}/host"));
        Assert.Equal(1, destinations.GetValueOrDefault($"{PausedDestination}/paused/failures"));
        Assert.Equal(1, destinations.GetValueOrDefault($"{PausedDestination}/resumed/operator"));
        Assert.Equal(1, skippedForField.GetValueOrDefault("c/a_note/absent"));
        Assert.Equal(1, Sum(envelopes, "simpleai.webhooks.precall.sources", "source", "outcome").GetValueOrDefault("contact/not_found"));
        Assert.Equal(1, Sum(envelopes, "simpleai.webhooks.precall.source.duration", "source", "outcome", "count").GetValueOrDefault("contact/not_found"));
    }

    /// <summary>Facts of the exporter the old alerts missed: where it posts, and that a log with an exception is an exception.</summary>
    [Fact]
    public async Task Exporter_PostsToTrack_AndSendsTheStepFailedLogToExceptions()
    {
        var envelopes = await CaptureAsync();

        Assert.Contains("/v2.1/track", postedTo!);
        var stepFailed = Assert.Single(envelopes, e => e.Dimensions.GetValueOrDefault("OriginalFormat")?.Contains("failed on try", StringComparison.Ordinal) == true);
        Assert.Equal("exceptions", stepFailed.Table);
        Assert.Equal("True", stepFailed.Dimensions["LastTry"]);
        Assert.DoesNotContain(envelopes, e => e.Table == "traces" && e.Message?.Contains("failed on try", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(envelopes, e => e.Table == "requests" && e.Name == nameof(HttpFunctions.WebhookIngest));
    }

    /// <summary>The metric's data points (value, count, min, max) as sent.</summary>
    /// <summary>
    /// No phone number, transcript text, analyzer answer or contact field reaches a log, trace or metric: the whole app
    /// (a pre-call lookup, call.started, a transcript update, call.completed through fetch-call and crm-sync with the
    /// transcript) runs on values no real call has, and every envelope the exporter captured is searched for them. They
    /// do reach the storage and the CRM endpoint (checked), so the search cannot pass by their never flowing.
    /// </summary>
    [Fact]
    public async Task PersonalData_NeverReachesALogTraceOrMetric()
    {
        const string Caller = "+15559017734";
        const string Callee = "+15559017735";
        const string Said = "Zebracorn-transcript-line";
        const string Answer = "Zebracorn-analyzer-answer";
        const string Contact = "Zebracorn-contact-name";
        await using var ingestion = await IngestionCapture.StartAsync();
        await using var api = await FakeHttpServer.StartAsync();
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithSetting(TelemetryServiceCollectionExtensions.ConnectionStringSetting, ingestion.ConnectionString)
            .WithSteps("fetch-call", "crm-sync")
            .WithSimpleAiApi(api.Url("api/v1"))
            .WithAction("crm-sync", api.Url("crm"), TestSigning.Secret)
            .WithSetting("Actions:crm_sync:IncludeTranscript", "true")
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        var call = Encoding.UTF8.GetString(RepoPaths.FixtureBytes("get-call-completed.json"))
            .Replace("+15551234567", Caller, StringComparison.Ordinal).Replace("+15557654321", Callee, StringComparison.Ordinal)
            .Replace("I was charged twice this month", Said, StringComparison.Ordinal).Replace("\"negative\"", $"\"{Answer}\"", StringComparison.Ordinal);
        api.Default($"/api/v1/calls/{callId}", FakeResponse.Json(Encoding.UTF8.GetBytes(call)));
        api.Default("/crm", FakeResponse.Json("{}"u8.ToArray()));
        await harness.App.GetRequiredService<SimpleAi.Webhooks.PreCall.ContactStore>()
            .UpsertAsync(Caller, new Dictionary<string, string> { ["name"] = Contact }, CancellationToken.None);

        using (var http = new HttpClient())
        using (var preCall = new HttpRequestMessage(HttpMethod.Post, new Uri(harness.WebhookUrl, "/api/" + HttpFunctions.PreCallRoute)))
        {
            preCall.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.PreCallToken);
            preCall.Content = new StringContent($$$"""{"call":{"from_number":"{{{Caller}}}","to_number":"{{{Callee}}}","direction":"inbound","timestamp":"2026-04-12T14:30:00Z"},"agent":{"id":"a","name":"Support"}}""", Encoding.UTF8, "application/json");
            using var answer = await http.SendAsync(preCall);
            Assert.Contains(Contact, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var type in new[] { "call.started", "call.transcript_update" })
        {
            var body = Encoding.UTF8.GetBytes($$$"""{"event_type":"{{{type}}}","event_id":"{{{NewEventId()}}}","payload":{"call_id":"{{{callId}}}","attempt":1}}""");
            Assert.Equal(202, (await harness.PostAsync(body, "msg_" + type)).Status);
        }

        Assert.Equal(202, (await harness.PostAsync(WorkflowHarness.CallCompleted(callId, NewEventId()), "msg_completed")).Status);
        await harness.RunUntilIdleAsync(120);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Contains(api.To("/crm"), r => Encoding.UTF8.GetString(r.Body).Contains(Said, StringComparison.Ordinal));

        Flush(harness.App);
        var envelopes = await WaitForAsync(ingestion, e => e.Any(x => x.Table == "customMetrics") && e.Any(x => x.Table == "traces") && e.Any(x => x.Table == "requests"));
        string[] personal = [Caller, Caller.TrimStart('+'), Callee, Callee.TrimStart('+'), Said, Answer, Contact, "Dana Ortiz"];
        var leaks = envelopes.Select(e => e.Raw.ToJsonString()).Where(json => personal.Any(p => json.Contains(p, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {envelopes.Count} envelope(s) hold personal data:\n{string.Join("\n", leaks.Take(5))}");
    }

    private static IEnumerable<JsonNode> Metric(IReadOnlyList<CapturedEnvelope> envelopes, string name) =>
        envelopes.Where(e => e.Table == "customMetrics" && e.Name == name).Select(e => e.Raw["data"]!["baseData"]!["metrics"]![0]!);

    /// <summary>A metric's values (or counts) summed per combination of the given dimensions, keyed "a/b".</summary>
    private static Dictionary<string, double> Sum(IReadOnlyList<CapturedEnvelope> envelopes, string name, params string[] dimensions)
    {
        var field = dimensions.Length > 0 && dimensions[^1] == "count" ? "count" : "value";
        var keys = field == "count" ? dimensions[..^1] : dimensions;
        return envelopes.Where(e => e.Table == "customMetrics" && e.Name == name)
            .GroupBy(e => string.Join('/', keys.Select(k => e.Dimensions.GetValueOrDefault(k))))
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Raw["data"]!["baseData"]!["metrics"]![0]![field]!.GetValue<double>()));
    }

    /// <summary>Every query the template deploys, by the name it is known as (alert or tile).</summary>
    private Dictionary<string, string> AlertQueries() =>
        template.For(QueueTransport.StorageQueues).Resources("Microsoft.Insights/scheduledQueryRules").ToDictionary(
            r => "alert " + r["name"]!.GetValue<string>(),
            r => r["properties"]!["criteria"]!["allOf"]![0]!["query"]!.GetValue<string>());

    private Dictionary<string, string> WorkbookQueries()
    {
        var workbook = Assert.Single(template.For(QueueTransport.StorageQueues).Resources("Microsoft.Insights/workbooks"));
        var items = JsonNode.Parse(workbook["properties"]!["serializedData"]!.GetValue<string>())!["items"]!.AsArray();
        return items.Where(i => i!["content"]?["query"] is not null && i["type"]!.GetValue<int>() == 3).ToDictionary(
            i => "tile " + i!["name"]!.GetValue<string>(),
            i => i!["content"]!["query"]!.GetValue<string>());
    }

    private static List<(string Query, KqlReferences Part)> Unmatched(Dictionary<string, string> queries, IReadOnlyList<CapturedEnvelope> envelopes) =>
        queries.SelectMany(q => KqlReferences.Of(q.Value).Select(part => (q.Key, part)))
            .Where(q => !envelopes.Any(q.part.Matches))
            .ToList();

    private static string Report(List<(string Query, KqlReferences Part)> unmatched, IReadOnlyList<CapturedEnvelope> envelopes) =>
        "No captured envelope carries what these queries read:\n"
        + string.Join('\n', unmatched.Select(u => $"  {u.Query}: {u.Part}"))
        + "\nCaptured (distinct):\n"
        + string.Join('\n', envelopes.Select(e => $"  {e.Table} {e.Name ?? e.Message} [{string.Join(", ", e.Dimensions.Keys.Order())}]").Distinct().Order());

    /// <summary>Runs the app once per test run with the exporter pointed at a local endpoint, and returns what it posted.</summary>
    private async Task<IReadOnlyList<CapturedEnvelope>> CaptureAsync()
    {
        await CaptureOnce.WaitAsync();
        try
        {
            if (captured is null)
            {
                (captured, postedTo) = await RunTheAppAsync(azurite.ConnectionString);
            }

            return captured;
        }
        finally
        {
            CaptureOnce.Release();
        }
    }

    private static async Task<(IReadOnlyList<CapturedEnvelope>, IReadOnlyList<string>)> RunTheAppAsync(string storage)
    {
        await using var ingestion = await IngestionCapture.StartAsync();
        var faults = new StorageFaults();
        // Step c's rule reads a field step a could provide but never does: c is skipped for it in every run that gets there.
        await using var harness = await WorkflowHarness.Create(storage)
            .WithFaults(faults)
            .WithServices(services => services.AddRuleFields(new RuleFields("a", "step a's answer", ["a_done", "a_note"], [], [])))
            .WithSetting(TelemetryServiceCollectionExtensions.ConnectionStringSetting, ingestion.ConnectionString)
            .When("c", "a_note", "eq", "urgent")
            .StartAsync();
        var failing = Guid.NewGuid().ToString("D");
        harness.Effects.FaultAfterEffect = step => step.CallId == failing && step.Step == "b"
            ? new PermanentStepFailureException("the CRM refused the call")
            : null;

        // Ingest answers 202 (three times, one a duplicate), 401 and 503; one run completes (c skipped for its field),
        // one fails at step b and is poisoned by the app.
        var completing = WorkflowHarness.CallCompleted(Guid.NewGuid().ToString("D"), NewEventId());
        Assert.Equal(202, (await harness.PostAsync(completing, "msg_1")).Status);
        Assert.Equal(202, (await harness.PostAsync(completing, "msg_1")).Status);
        Assert.Equal(202, (await harness.PostAsync(WorkflowHarness.CallCompleted(failing, NewEventId()), "msg_2")).Status);
        Assert.Equal(401, await PostUnsignedAsync(harness));
        faults.Outage = handling => handling is null;
        Assert.Equal(503, (await harness.PostAsync(WorkflowHarness.CallCompleted(Guid.NewGuid().ToString("D"), NewEventId()), "msg_3")).Status);
        faults.Outage = _ => false;
        await harness.RunUntilIdleAsync();

        // The host's own poison copy of a step message (its last try died), taken in by the sweep.
        await harness.Queues.GetQueueClient(QueueNames.PoisonOf(QueueNames.Step("c")))
            .SendMessageAsync(new StepMessage(failing, failing, "evt_host", "c", Guid.NewGuid().ToString("N")).Encode().ToString());
        await harness.App.GetRequiredService<SimpleAi.Webhooks.Operations.PoisonSweeper>().SweepAsync(CancellationToken.None);

        // A destination failing PauseAfterFailures (20) times in a row pauses; an operator resumes it.
        var gate = harness.App.GetRequiredService<DestinationGate>();
        for (var i = 0; i < 20; i++)
        {
            await gate.FailedAsync(PausedDestination, "503 Service Unavailable", wasProbe: false, CancellationToken.None);
        }

        await gate.ResumeAsync(PausedDestination, CancellationToken.None);

        // A pre-call answer for a caller the contacts table does not know: the contacts source, not found.
        var preCall = Encoding.UTF8.GetBytes("""{"call":{"from_number":"+15550001212","to_number":"+15557654321","direction":"inbound"},"agent":{"id":"a"}}""");
        var answered = await harness.App.GetRequiredService<SimpleAi.Webhooks.PreCall.PreCallService>().HandleAsync(
            new SimpleAi.Webhooks.PreCall.PreCallRequest("POST", "application/json", preCall.Length, new MemoryStream(preCall), "Bearer " + TestApp.PreCallToken),
            CancellationToken.None);
        Assert.Equal(200, answered.StatusCode);

        Flush(harness.App);
        var envelopes = await WaitForAsync(ingestion, e => e.Any(x => x.Table == "customMetrics") && e.Any(x => x.Table == "traces"));
        return (envelopes, ingestion.Paths());
    }

    /// <summary>What the host does on shutdown: every provider exports what it holds (metrics are otherwise sent each minute).</summary>
    private static void Flush(IServiceProvider app)
    {
        app.GetService<TracerProvider>()?.ForceFlush();
        app.GetService<LoggerProvider>()?.ForceFlush();
        app.GetService<MeterProvider>()?.ForceFlush();
    }

    private static async Task<IReadOnlyList<CapturedEnvelope>> WaitForAsync(IngestionCapture ingestion, Func<IReadOnlyList<CapturedEnvelope>, bool> arrived)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var envelopes = ingestion.Envelopes();
            if (arrived(envelopes))
            {
                return envelopes;
            }

            Assert.False(deadline.IsCancellationRequested, $"the exporter posted {envelopes.Count} envelope(s) to {string.Join(", ", ingestion.Paths())}");
            await Task.Delay(50);
        }
    }

    private static async Task<int> PostUnsignedAsync(WorkflowHarness harness)
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(WorkflowHarness.CallCompleted(Guid.NewGuid().ToString("D"), NewEventId()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(harness.WebhookUrl, content);
        return (int)response.StatusCode;
    }

    private static string NewEventId() => "evt_" + Guid.NewGuid().ToString("N");
}
