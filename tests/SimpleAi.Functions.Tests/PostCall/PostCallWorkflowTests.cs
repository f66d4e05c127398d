using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Functions.Tests.PostCall;

/// <summary>
/// The configured post-call journey end to end: a signed call.completed, the Simple AI API and every outbound
/// endpoint played by a local HTTP server, the app under the WebJobs queue listeners (the local host) on Azurite.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PostCallWorkflowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["crm-sync"] = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("crm-sync-secret-0123456789")),
        ["ticket"] = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("ticket-secret-0123456789ab")),
        ["follow-up"] = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("follow-up-secret-012345678")),
        ["notify"] = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("notify-secret-0123456789abc")),
    };

    private static readonly Dictionary<string, string> Paths = new()
    {
        ["crm-sync"] = "/crm",
        ["ticket"] = "/tickets",
        ["follow-up"] = "/follow-ups",
        ["notify"] = "/slack",
    };

    private FakeHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>
    /// The workflow of docs/workflow.md, its JSON block as written: crm-sync always; ticket for an escalation with
    /// negative sentiment; follow-up for voicemail; notify (Slack) when the refund analyzer said yes; crm-sync with the
    /// transcript. The endpoints and secrets are the local server's.
    /// </summary>
    private WorkflowHarnessBuilder Harness()
    {
        var harness = WorkflowHarness.Create(azurite.ConnectionString)
            .WithWorkflow(DocumentedWorkflow())
            .WithSimpleAiApi(_server.Url("api/v1"));
        foreach (var (step, path) in Paths)
        {
            harness.WithAction(step, _server.Url(path), Secrets[step])
                .WithSetting($"{ActionEndpointOptions.SectionOf(step)}:RetrySchedule", "1s,1s,1s,1s");
        }

        return harness
            .WithSetting("SimpleAi:FetchRetryDelaySeconds", "1")
            .WithSetting("SimpleAi:FetchTries", "3");
    }

    private static IConfiguration DocumentedWorkflow()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(PostCallWorkflowTests)}.{nameof(FixtureCall_RunsExactlyTheConfiguredBranch)}"));
        var workflow = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(block.Body))).Build();
        Assert.Equal(["fetch-call", "crm-sync", "ticket", "follow-up", "notify"], workflow.GetSection("Workflow:Steps").GetChildren().Select(s => s["Step"]));
        Assert.Equal("slack", workflow["Actions:notify:Format"]);
        Assert.Equal("true", workflow["Actions:crm_sync:IncludeTranscript"], ignoreCase: true);
        return workflow;
    }

    private static string NewCallId() => Guid.NewGuid().ToString("D");

    private static string ApiPath(string callId) => $"/api/v1/calls/{callId}";

    private static byte[] FixtureCall() => RepoPaths.FixtureBytes("get-call-completed.json");

    private static byte[] VoicemailCall()
    {
        var call = JsonNode.Parse(FixtureCall())!.AsObject();
        call["answered_by"] = "voicemail";
        call["tags"] = new JsonArray();
        call["analysis_results"] = new JsonArray();
        call["summary"] = new JsonObject { ["text"] = "Left a voicemail.", ["outcome"] = "voicemail" };
        return Encoding.UTF8.GetBytes(call.ToJsonString());
    }

    private async Task<string> RunCallAsync(WorkflowHarness harness, byte[] apiAnswer, int deliveries = 1)
    {
        var callId = NewCallId();
        _server.Default(ApiPath(callId), FakeResponse.Json(apiAnswer));
        var body = WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N"));
        for (var i = 0; i < deliveries; i++)
        {
            Assert.Equal(202, (await harness.PostAsync(body, "msg_1")).Status);
        }

        await harness.RunUntilIdleAsync(120);
        return callId;
    }

    /// <summary>Checks a request as a receiver would: signature with the step's secret, idempotency key.</summary>
    private static void AssertSignedFor(RecordedRequest request, string step, string callId)
    {
        Assert.Equal($"{callId}:{step}", request.Header("Idempotency-Key"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        using var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(Secrets[step])], TimeSpan.FromMinutes(5));
        var verification = verifier.Verify(request.Body, request.Header);
        Assert.True(verification.IsValid, $"{step}: {verification}");
    }

    private IReadOnlyList<RecordedRequest> Succeeded(string step) => _server.To(Paths[step]);

    [Fact]
    public async Task FixtureCall_RunsExactlyTheConfiguredBranch()
    {
        await using var harness = await Harness().StartAsync();

        var callId = await RunCallAsync(harness, FixtureCall());

        foreach (var step in new[] { "crm-sync", "ticket", "notify" })
        {
            AssertSignedFor(Assert.Single(Succeeded(step)), step, callId);
        }

        Assert.Empty(Succeeded("follow-up"));
        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal(StepStatus.Skipped, run.Steps["follow-up"].Status);
        Assert.Equal("negative", run.Data["analysis:Caller sentiment"]);
        Assert.Equal("billing,escalation", run.Data["tags"]);
    }

    [Fact]
    public async Task VoicemailCall_RunsTheOtherBranch()
    {
        await using var harness = await Harness().StartAsync();

        var callId = await RunCallAsync(harness, VoicemailCall());

        AssertSignedFor(Assert.Single(Succeeded("crm-sync")), "crm-sync", callId);
        AssertSignedFor(Assert.Single(Succeeded("follow-up")), "follow-up", callId);
        Assert.Empty(Succeeded("ticket"));
        Assert.Empty(Succeeded("notify"));
        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal((StepStatus.Skipped, null), (run.Steps["ticket"].Status, run.Steps["ticket"].Error));
        Assert.Equal((StepStatus.Skipped, "field 'analysis:3' absent from the call"), (run.Steps["notify"].Status, run.Steps["notify"].Error));
    }

    [Fact]
    public async Task Documents_CarryTheCallAndNotifyPostsASlackMessage()
    {
        await using var harness = await Harness().StartAsync();

        var callId = await RunCallAsync(harness, FixtureCall());

        var crmBody = Assert.Single(Succeeded("crm-sync")).Body;
        using var crm = JsonDocument.Parse(crmBody);
        var root = crm.RootElement;
        // Through the stored snapshot, as sent: the API's timestamp text and an unescaped +.
        Assert.Contains("\"from_number\":\"+15551234567\",", Encoding.UTF8.GetString(crmBody), StringComparison.Ordinal);
        Assert.Contains("\"started_at\":\"2026-04-12T14:30:02Z\",", Encoding.UTF8.GetString(crmBody), StringComparison.Ordinal);
        Assert.Equal(callId, root.GetProperty("call_id").GetString());
        Assert.Equal("crm-sync", root.GetProperty("step").GetString());
        Assert.Equal("+15551234567", root.GetProperty("call").GetProperty("from_number").GetString());
        Assert.Equal("refund_requested", root.GetProperty("outcome").GetString());
        Assert.Equal(["billing", "escalation"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("negative", root.GetProperty("analysis").EnumerateArray().Single(a => a.GetProperty("analyzer_id").GetInt32() == 4).GetProperty("result").GetString());
        Assert.Equal("C-10442", root.GetProperty("external_identifiers").GetProperty("crm_contact_id").GetString());
        Assert.Equal(4, root.GetProperty("transcript").GetArrayLength());
        using var ticket = JsonDocument.Parse(Assert.Single(Succeeded("ticket")).Body);
        Assert.False(ticket.RootElement.TryGetProperty("transcript", out _));
        using var slack = JsonDocument.Parse(Assert.Single(Succeeded("notify")).Body);
        Assert.Contains("refund_requested", slack.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointFailingTwiceFirst_SeesTheStepOnceWithOneKey()
    {
        await using var harness = await Harness().StartAsync();
        _server.Script(Paths["crm-sync"], FakeResponse.Text(503), FakeResponse.Text(500));

        var callId = await RunCallAsync(harness, FixtureCall());

        var attempts = Succeeded("crm-sync");
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Header("Idempotency-Key")).Distinct());
        Assert.All(attempts, a => AssertSignedFor(a, "crm-sync", callId));
        Assert.Single(Succeeded("ticket"));
        var run = await harness.RunOfAsync(callId);
        Assert.Equal((RunStatus.Completed, 3), (run!.Status, run.Steps["crm-sync"].Attempts));
    }

    [Theory]
    [InlineData(408, 0)]
    [InlineData(429, 0)]
    [InlineData(200, 3)]
    public async Task TimeoutsAnd408And429_AreRetried(int status, int delaySeconds)
    {
        await using var harness = await Harness().WithSetting("Actions:ticket:TimeoutSeconds", "1").StartAsync();
        _server.Script(Paths["ticket"], FakeResponse.Text(status) with { Delay = TimeSpan.FromSeconds(delaySeconds) });

        var callId = await RunCallAsync(harness, FixtureCall());

        Assert.Equal(2, Succeeded("ticket").Count);
        var run = await harness.RunOfAsync(callId);
        Assert.Equal((RunStatus.Completed, 2), (run!.Status, run.Steps["ticket"].Attempts));
    }

    [Fact]
    public async Task TeamsFormat_PostsAMessageCard()
    {
        await using var harness = await Harness().WithSetting("Actions:notify:Format", "teams").StartAsync();

        await RunCallAsync(harness, FixtureCall());

        using var card = JsonDocument.Parse(Assert.Single(Succeeded("notify")).Body);
        Assert.Equal("MessageCard", card.RootElement.GetProperty("@type").GetString());
        Assert.Contains("Tags: billing, escalation", card.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameEventThreeTimes_EachEndpointSeesEachStepOnce()
    {
        await using var harness = await Harness().StartAsync();

        var callId = await RunCallAsync(harness, FixtureCall(), deliveries: 3);

        Assert.Single(_server.To(ApiPath(callId)));
        foreach (var step in new[] { "crm-sync", "ticket", "notify" })
        {
            AssertSignedFor(Assert.Single(Succeeded(step)), step, callId);
        }
    }

    [Fact]
    public async Task EndpointRefusingWith4xx_FailsTheStepForGoodWithoutRetry()
    {
        await using var harness = await Harness().StartAsync();
        _server.Script(Paths["crm-sync"], FakeResponse.Text(422, "contact id unknown"));

        var callId = await RunCallAsync(harness, FixtureCall());

        Assert.Single(Succeeded("crm-sync"));
        Assert.Empty(Succeeded("ticket"));
        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Contains("answered 422", run.Steps["crm-sync"].Error, StringComparison.Ordinal);
        Assert.Contains("contact id unknown", run.Steps["crm-sync"].Error, StringComparison.Ordinal);
        Assert.Contains("failed for good", Assert.Single(await harness.PoisonedAsync(QueueNames.Step("crm-sync"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallUnknownToTheApi_IsRetriedWithBackoffThenFailsTheRunWithTheReason()
    {
        await using var harness = await Harness().StartAsync();
        var callId = NewCallId();
        _server.Default(ApiPath(callId), FakeResponse.Text(404));

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await harness.RunUntilIdleAsync(120);

        var tries = _server.To(ApiPath(callId));
        Assert.Equal(3, tries.Count);
        var gaps = tries.Zip(tries.Skip(1), (a, b) => b.At - a.At).ToList();
        Assert.True(gaps[0] >= TimeSpan.FromSeconds(0.9) && gaps[1] >= TimeSpan.FromSeconds(1.9), $"gaps {string.Join(", ", gaps)}");
        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Equal(3, run.Steps["fetch-call"].Attempts);
        Assert.Contains("404", run.Steps["fetch-call"].Error, StringComparison.Ordinal);
        Assert.Contains("after 3 of 3 tries", run.Steps["fetch-call"].Error, StringComparison.Ordinal);
        Assert.Empty(Succeeded("crm-sync"));
    }

    [Fact]
    public async Task CallNotEndedYet_IsRetriedUntilItHas()
    {
        await using var harness = await Harness().StartAsync();
        var ongoing = JsonNode.Parse(FixtureCall())!.AsObject();
        ongoing["status"] = "in_progress";
        ongoing["ended_at"] = null;
        var callId = NewCallId();
        _server.Script(ApiPath(callId), FakeResponse.Json(Encoding.UTF8.GetBytes(ongoing.ToJsonString())));
        _server.Default(ApiPath(callId), FakeResponse.Json(FixtureCall()));

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await harness.RunUntilIdleAsync(120);

        Assert.Equal(2, _server.To(ApiPath(callId)).Count);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
    }

    [Fact]
    public async Task ApiAnswerThatIsNotJson_FailsTheStepAtOnceWithTheReason()
    {
        await using var harness = await Harness().StartAsync();
        var callId = NewCallId();
        _server.Default(ApiPath(callId), FakeResponse.Json("<html>maintenance</html>"));

        await harness.PostAsync(WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N")), "msg_1");
        await harness.RunUntilIdleAsync(120);

        Assert.Single(_server.To(ApiPath(callId)));
        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Failed, run!.Status);
        Assert.Contains("is not a call", run.Steps["fetch-call"].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VoicemailWithoutAnalysis_SkipsTheStepsReadingAnalysisWithTheFieldAndRunsTheRest()
    {
        var skips = new List<string>();
        using var listener = SkipsForFields(skips);
        // ticket reads the sentiment first: a voicemail has no analyzer results, so the field is absent.
        await using var harness = await Harness()
            .WithoutConditions("ticket")
            .When("ticket", "analysis:Caller sentiment", "eq", "negative")
            .When("ticket", "tags", "contains", "escalation")
            .StartAsync();

        var callId = await RunCallAsync(harness, VoicemailCall());
        var (code, status, _) = await CliRun.WithStorageAsync(azurite.ConnectionString, "status", callId);
        var (_, json, _) = await CliRun.WithStorageAsync(azurite.ConnectionString, "status", callId, "--json");

        var run = await harness.RunOfAsync(callId);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Equal(
            [("crm-sync", StepStatus.Completed, null), ("ticket", StepStatus.Skipped, "field 'analysis:Caller sentiment' absent from the call"),
             ("follow-up", StepStatus.Completed, null), ("notify", StepStatus.Skipped, "field 'analysis:3' absent from the call")],
            new[] { "crm-sync", "ticket", "follow-up", "notify" }.Select(s => (s, run.Steps[s].Status, run.Steps[s].Error)));
        AssertSignedFor(Assert.Single(Succeeded("follow-up")), "follow-up", callId);
        Assert.Empty(Succeeded("ticket"));
        Assert.Empty(Succeeded("notify"));
        Assert.Equal(0, code);
        Assert.Matches(@"\n  ticket\s+skipped\s+tries 0\s.*\sreason: field 'analysis:Caller sentiment' absent from the call", status);
        using var document = JsonDocument.Parse(json);
        var ticket = document.RootElement.GetProperty("run").GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("step").GetString() == "ticket");
        Assert.Equal("field 'analysis:Caller sentiment' absent from the call", ticket.GetProperty("error").GetString());
        lock (skips)
        {
            Assert.Contains("step=ticket,field=analysis:Caller sentiment,cause=absent", skips);
            Assert.Contains("step=notify,field=analysis:3,cause=absent", skips);
        }
    }

    [Fact]
    public async Task SnapshotOfTheCall_IsKeptByteForByte()
    {
        await using var harness = await Harness().StartAsync();

        var callId = await RunCallAsync(harness, FixtureCall());

        var run = await harness.RunOfAsync(callId);
        var blob = new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString)
            .GetBlobContainerClient(SimpleAi.Webhooks.PostCall.CallSnapshotStore.Container).GetBlobClient(run!.Data["snapshot"]);
        Assert.Equal(FixtureCall(), (await blob.DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task ApiKeyAndSecrets_NeverReachALogLineOrARecord()
    {
        await using var harness = await Harness().StartAsync();
        _server.Script(Paths["crm-sync"], FakeResponse.Text(500));

        var callId = await RunCallAsync(harness, FixtureCall());

        var entity = await harness.App.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Runs)
            .GetEntityAsync<TableEntity>(callId, RunStore.RowKeyOf(callId));
        var record = JsonSerializer.Serialize(entity.Value);
        var logs = string.Join('\n', harness.Logs.Lines);
        foreach (var secret in Secrets.Values.Select(s => s["whsec_".Length..]).Append(TestApp.TestApiKey))
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, record, StringComparison.Ordinal);
        }

        Assert.NotEmpty(harness.Logs.Lines);
    }

    /// <summary>Records the skips-for-a-field counter's dimensions as "step=…,field=…,cause=…".</summary>
    private static MeterListener SkipsForFields(List<string> skips)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WebhookTelemetry.Name && instrument.Name == "simpleai.webhooks.step.skipped_for_field")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var text = string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            lock (skips)
            {
                skips.Add(text);
            }
        });
        listener.Start();
        return listener;
    }
}
