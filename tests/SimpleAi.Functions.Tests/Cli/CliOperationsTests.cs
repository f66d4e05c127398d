using Azure.Storage.Queues;
using SimpleAi.Cli;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Functions.Tests.Cli;

/// <summary><c>simpleai-webhooks</c> status, replay and send against Azurite, the in-process app and a local server.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CliOperationsTests(AzuriteFixture azurite)
{
    private Task<(int Code, string Out, string Error)> CliAsync(params string[] args) => CliRun.WithStorageAsync(azurite.ConnectionString, args);

    private static async Task<string> RunCallAsync(WorkflowHarness harness, int deliveries = 1)
    {
        var callId = Guid.NewGuid().ToString("D");
        var body = WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N"));
        for (var i = 0; i < deliveries; i++)
        {
            await harness.PostAsync(body, "msg_1");
        }

        await harness.RunUntilIdleAsync();
        return callId;
    }

    [Fact]
    public async Task Status_OfACompletedRun_ShowsTheTimelineAndExitsZero()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = await RunCallAsync(harness, deliveries: 2);

        var (code, output, _) = await CliAsync("status", callId);

        Assert.Equal(0, code);
        Assert.Contains($"call {callId}", output, StringComparison.Ordinal);
        Assert.Contains("deliveries (1 received, 1 duplicates)", output, StringComparison.Ordinal);
        Assert.Contains($"run {callId}: completed", output, StringComparison.Ordinal);
        foreach (var step in WorkflowHarness.Steps)
        {
            Assert.Matches($@"\n  {step}\s+completed\s+tries 1", output);
        }
    }

    [Fact]
    public async Task Status_ByEventId_FindsTheCall()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = await RunCallAsync(harness);
        var eventId = (await harness.RunOfAsync(callId))!.EventId;

        var (code, output, _) = await CliAsync("status", eventId, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(callId, json.RootElement.GetProperty("call_id").GetString());
        Assert.Equal("completed", json.RootElement.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("run").GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public async Task Status_OfAFailedRun_ExitsOneWithTheError()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        harness.Effects.FaultAfterEffect = c => c.Step == "b" ? new InvalidOperationException("CRM is down") : null;
        var callId = await RunCallAsync(harness);

        var (code, output, _) = await CliAsync("status", callId);

        Assert.Equal(1, code);
        Assert.Contains("error: InvalidOperationException: CRM is down", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusJson_NamesEveryField_InItsOrder()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        harness.Effects.FaultAfterEffect = c => c.Step == "b" ? new InvalidOperationException("CRM is down") : null;
        var callId = await RunCallAsync(harness);

        var (_, output, _) = await CliAsync("status", callId, "--json");

        using var json = JsonDocument.Parse(output);
        var run = json.RootElement.GetProperty("run");
        var failed = Assert.Single(run.GetProperty("steps").EnumerateArray(), s => s.GetProperty("step").GetString() == "b");
        Assert.Equal(["call_id", "deliveries", "run", "pre_call"], Names(json.RootElement));
        Assert.Equal(["event_id", "event_type", "attempt", "webhook_id", "received_at", "duplicate", "routed"], Names(json.RootElement.GetProperty("deliveries")[0]));
        Assert.Equal(["run_id", "status", "created_at", "event_id", "steps"], Names(run));
        Assert.Equal(["step", "status", "tries", "first_started_at", "started_at", "finished_at", "error", "attempts"], Names(failed));
        Assert.Equal(["attempt", "at", "outcome", "next_at"], Names(failed.GetProperty("attempts")[0]));
    }

    /// <summary>Issue 21: the CLI wrote <c>'</c> as <c>\u0027</c> (System.Text.Json's default encoder); it writes JSON as the app's documents do.</summary>
    [Fact]
    public async Task StatusJson_WritesAnErrorAsTheAppsDocumentsDo_ApostropheAndAccentsLiteral()
    {
        const string Message = "CRM's answer wasn't \"ok\" <b>&</b> café 🙂";
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        harness.Effects.FaultAfterEffect = c => c.Step == "b" ? new InvalidOperationException(Message) : null;
        var callId = await RunCallAsync(harness);

        var (_, output, _) = await CliAsync("status", callId, "--json");

        Assert.True(output.Contains("CRM's answer wasn't \\\"ok\\\" <b>&</b> café 🙂", StringComparison.Ordinal), output);
        Assert.DoesNotContain("\\u", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        var failed = Assert.Single(json.RootElement.GetProperty("run").GetProperty("steps").EnumerateArray(), s => s.GetProperty("step").GetString() == "b");
        Assert.Contains(Message, failed.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public async Task Status_OfAnUnknownId_ExitsFour()
    {
        var (code, _, error) = await CliAsync("status", "evt_nobody_knows_" + Guid.NewGuid().ToString("N"));

        Assert.True(code == 4, error);
        Assert.StartsWith("error: nothing is known", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_AfterTheFaultIsFixed_CompletesTheRunOnce_AndIsSafeTwice()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        harness.Effects.FaultAfterEffect = c => c.Step == "b" ? new InvalidOperationException("CRM is down") : null;
        var callId = await RunCallAsync(harness);
        Assert.Equal(RunStatus.Failed, (await harness.RunOfAsync(callId))!.Status);
        harness.Effects.FaultAfterEffect = _ => null;

        var first = await CliAsync("replay", "--queue", QueueNames.PoisonOf(QueueNames.Step("b")));
        await harness.RunUntilIdleAsync();
        var second = await CliAsync("replay", "--queue", QueueNames.PoisonOf(QueueNames.Step("b")));

        Assert.Equal(0, first.Code);
        Assert.Contains("moved 1 message(s)", first.Out, StringComparison.Ordinal);
        Assert.Contains("→ step-b", first.Out, StringComparison.Ordinal);
        Assert.Contains("moved 0 message(s)", second.Out, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId))!.Status);
        Assert.Equal(1, harness.Effects.InvocationsOf(callId, "c"));
        Assert.Equal(0, (await CliAsync("status", callId)).Code);
    }

    [Fact]
    public async Task Replay_DryRunAndWhere_MoveNothingOrOnlyOneCall()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        harness.Effects.FaultAfterEffect = c => c.Step == "a" ? new InvalidOperationException("down") : null;
        var first = await RunCallAsync(harness);
        var second = await RunCallAsync(harness);
        harness.Effects.FaultAfterEffect = _ => null;
        var poison = QueueNames.PoisonOf(QueueNames.Step("a"));

        var dry = await CliAsync("replay", "--queue", poison, "--dry-run");
        var one = await CliAsync("replay", "--queue", poison, "--where", $"call_id={second}");
        await harness.RunUntilIdleAsync();

        Assert.Contains("would move 2 message(s)", dry.Out, StringComparison.Ordinal);
        Assert.Contains("moved 1 message(s)", one.Out, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(second))!.Status);
        Assert.Equal(RunStatus.Failed, (await harness.RunOfAsync(first))!.Status);
        Assert.Single(await harness.PoisonedAsync(QueueNames.Step("a")));
    }

    [Fact]
    public async Task Replay_UnwrapsTheAppsPoisonWrapper()
    {
        var stepA = new QueueServiceClient(azurite.ConnectionString).GetQueueClient(QueueNames.Step("a"));
        await using (var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync())
        {
            await stepA.SendMessageAsync("garbage");
            await harness.RunUntilIdleAsync();
        }

        // The app is stopped first: a running listener would take the replayed message before this test could look.
        var (_, output, _) = await CliAsync("replay", "--queue", QueueNames.PoisonOf(QueueNames.Step("a")));
        var back = Assert.Single((await stepA.ReceiveMessagesAsync(1)).Value);

        Assert.Contains("poisoned because: the message is not a step message", output, StringComparison.Ordinal);
        Assert.Equal("garbage", back.MessageText);
    }

    /// <summary>Issue 22: a misspelt queue printed "moved 0 message(s)" and exited 0, as if there were nothing to replay.</summary>
    [Fact]
    public async Task Replay_OfAQueueThatDoesNotExist_IsRefusedListingThePoisonQueuesThatDo()
    {
        await using (await WorkflowHarness.Create(azurite.ConnectionString).StartAsync())
        {
        }

        var (code, output, error) = await CliAsync("replay", "--queue", "crm-sync-poison");

        Assert.True(code == 2, output + error);
        Assert.DoesNotContain("moved", output, StringComparison.Ordinal);
        Assert.StartsWith("error: --queue: there is no queue 'crm-sync-poison'", error, StringComparison.Ordinal);
        Assert.Contains(QueueNames.PoisonOf(QueueNames.Step("a")), error, StringComparison.Ordinal);
        Assert.Contains(QueueNames.PoisonOf(QueueNames.Events), error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replay", "--queue", "x-poison", "--where", "event_id=1")]
    [InlineData("replay", "--queue", "x-poison", "--max", "0")]
    [InlineData("send", "call.completed", "--url", "http://127.0.0.1:9/", "--secret", TestSigning.Secret, "--count", "0")]
    [InlineData("send", "call.completed", "--url", "http://127.0.0.1:9/", "--secret", TestSigning.Secret, "--duplicate-ratio", "1.5")]
    public async Task BadOptions_AreUsageErrors(params string[] args)
    {
        var (code, _, error) = await CliAsync(args);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableStorage_IsOneLineNamingTheSetting()
    {
        var (code, _, error) = await CliRun.WithStorageAsync(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint=http://127.0.0.1:{ClosedPort.Find()}/devstoreaccount1;",
            "status", "evt_1");

        Assert.Equal(2, code);
        Assert.Contains("SimpleAiStorage", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Send_PostsSignedEventsWithTheAskedDuplicatesAndSummarises()
    {
        await using var server = await FakeHttpServer.StartAsync();
        server.Default("/hook", FakeResponse.Json("{}", 202));

        var (code, output, _) = await CliAsync(
            "send", "call.completed", "--url", server.Url("hook").ToString(), "--secret", TestSigning.Secret,
            "--count", "20", "--concurrency", "4", "--duplicate-ratio", "0.25", "--json");

        Assert.Equal(0, code);
        var requests = server.To("/hook");
        Assert.Equal(20, requests.Count);
        Assert.Equal(15, requests.Select(r => r.Header("webhook-id")).Distinct().Count());
        Assert.Equal(15, requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("event_id").GetString()).Distinct().Count());
        using var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(TestSigning.Secret)], TimeSpan.FromMinutes(5));
        Assert.All(requests, r => Assert.True(verifier.Verify(r.Body, r.Header).IsValid));
        using var summary = JsonDocument.Parse(output);
        Assert.Equal(20, summary.RootElement.GetProperty("statuses").GetProperty("202").GetInt32());
        Assert.True(summary.RootElement.GetProperty("latency_ms").GetProperty("p99").GetDouble() > 0);
    }

    [Fact]
    public async Task Send_AgainstTheApp_IsAcceptedAndRunsTheWorkflow()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        await using var server = await FakeHttpServer.StartAsync();
        var callId = Guid.NewGuid();
        server.Default("/hook", FakeResponse.Json("{}", 202));

        var (code, output, _) = await CliAsync(
            "send", "call.completed", "--url", server.Url("hook").ToString(), "--secret", TestSigning.Secret, "--call-id", callId.ToString());
        var request = Assert.Single(server.To("/hook"));
        var response = await HttpInvoker.InvokeAsync(
            harness.App.GetRequiredService<HttpFunctions>().WebhookIngest, "POST", new MemoryStream(request.Body), request.Body.Length,
            "application/json", request.Headers.Where(h => h.Key.StartsWith("webhook-", StringComparison.Ordinal)));
        await harness.RunUntilIdleAsync();

        Assert.Equal(0, code);
        Assert.Contains("202: 1", output, StringComparison.Ordinal);
        Assert.Equal(202, response.Status);
        Assert.Equal(RunStatus.Completed, (await harness.RunOfAsync(callId.ToString()))!.Status);
    }

    [Fact]
    public async Task ContactsImport_NormalisesPhonesReportsBadRowsAndUpserts()
    {
        var csv = Path.GetTempFileName();
        var phone = $"+1555{Random.Shared.Next(1_000_000, 9_999_999)}";
        await File.WriteAllTextAsync(csv, string.Join('\n',
            "phone,customer_name,plan,note",
            $"\"({phone[2..5]}) {phone[5..8]}-{phone[8..]}\",Dana Ortiz,pro,\"likes calls, mornings\"",
            "not a number,Nobody,free,",
            "+15550001111,Too,Many,Fields,Here",
            "+44 20 7946 0958,\"Ann \"\"The\"\" Lee\",enterprise,\"multi",
            "line note\""));

        var (code, output, error) = await CliAsync("contacts", "import", csv);
        await File.WriteAllTextAsync(csv, $"phone,customer_name,plan\n{phone},Dana Ortiz,enterprise\n");
        var again = await CliAsync("contacts", "import", csv);

        Assert.Equal(0, code);
        Assert.Contains("imported 2 contact(s), skipped 2 row(s)", output, StringComparison.Ordinal);
        Assert.Contains("line 3: 'not a number' is not a phone number", error, StringComparison.Ordinal);
        Assert.Contains("line 4: 5 fields, the header has 4", error, StringComparison.Ordinal);
        Assert.Equal(0, again.Code);
        var settings = TestApp.Settings(azurite.ConnectionString);
        using var app = TestApp.Build(settings);
        var contacts = app.GetRequiredService<SimpleAi.Webhooks.PreCall.ContactStore>();
        var dana = await contacts.FindAsync(phone, CancellationToken.None);
        Assert.Equal(("Dana Ortiz", "enterprise"), (dana!["customer_name"], dana["plan"]));
        var ann = await contacts.FindAsync("+442079460958", CancellationToken.None);
        Assert.Equal(("Ann \"The\" Lee", "multi\nline note"), (ann!["customer_name"], ann["note"]));
        File.Delete(csv);
    }

    [Theory]
    [InlineData("name,plan\nDana,pro\n", "no 'phone' column")]
    [InlineData("phone,first name\n+15551234567,Dana\n", "column 'first name' is not a usable field name")]
    [InlineData("", "needs a header row")]
    public async Task ContactsImport_UnusableFile_IsAUsageError(string content, string message)
    {
        var csv = Path.GetTempFileName();
        await File.WriteAllTextAsync(csv, content);

        var (code, _, error) = await CliAsync("contacts", "import", csv);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        File.Delete(csv);
    }
}
