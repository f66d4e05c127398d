using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions.Tests.Transcripts;

/// <summary>call.started and live transcripts end to end: Azurite, a local server for the API and endpoints.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LiveCallTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string NotifySecret = "whsec_bm90aWZ5LXNlY3JldC0wMTIzNDU2Nzg5YWJj";
    private FakeHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private WorkflowHarnessBuilder Harness() =>
        WorkflowHarness.Create(azurite.ConnectionString)
            .WithSimpleAiApi(_server.Url("api/v1"))
            .WithTranscriptCoalescing(TimeSpan.FromSeconds(2));

    private static byte[] Event(string type, string callId, string? eventId = null) => Encoding.UTF8.GetBytes(
        JsonSerializer.Serialize(new { event_type = type, event_id = eventId ?? "evt_" + Guid.NewGuid().ToString("N"), payload = new { call_id = callId, attempt = 1 } }));

    private void ServeCall(string callId, int lines)
    {
        var call = System.Text.Json.Nodes.JsonNode.Parse(RepoPaths.FixtureBytes("get-call-completed.json"))!.AsObject();
        var transcripts = call["transcripts"]!.AsArray();
        while (transcripts.Count > lines)
        {
            transcripts.RemoveAt(transcripts.Count - 1);
        }

        _server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(Encoding.UTF8.GetBytes(call.ToJsonString())));
    }

    private static async Task<JsonElement> ReadTranscriptAsync(WorkflowHarness harness, string callId, string? since = null, int expectedStatus = 200)
    {
        var http = new DefaultHttpContext();
        if (since is not null)
        {
            http.Request.QueryString = new QueryString($"?since={since}");
        }

        var result = await harness.App.GetRequiredService<HttpFunctions>().TranscriptRead(http.Request, callId);
        var status = result switch
        {
            ObjectResult objectResult => objectResult.StatusCode ?? 200,
            _ => 200,
        };
        Assert.Equal(expectedStatus, status);
        return result is JsonResult json ? JsonSerializer.SerializeToElement(json.Value) : default;
    }

    [Fact]
    public async Task TranscriptUpdate_StoresTheLinesAndServesThemIncrementally()
    {
        await using var harness = await Harness().StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        ServeCall(callId, lines: 3);

        await harness.PostAsync(Event("call.transcript_update", callId), "msg_1");
        await harness.RunUntilIdleAsync();
        var first = await ReadTranscriptAsync(harness, callId);
        ServeCall(callId, lines: 5);
        await harness.PostAsync(Event("transcript.updated", callId), "msg_2");
        await harness.RunUntilIdleAsync();
        var rest = await ReadTranscriptAsync(harness, callId, since: first.GetProperty("next").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(3, first.GetProperty("lines").GetArrayLength());
        Assert.Equal("user", first.GetProperty("lines")[1].GetProperty("role").GetString());
        Assert.Equal([3, 4], rest.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("index").GetInt32()));
        Assert.Equal(5, rest.GetProperty("next").GetInt32());
        Assert.Equal(5, (await ReadTranscriptAsync(harness, callId)).GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task UnknownCall_Is404AndBadInputIs400()
    {
        await using var harness = await Harness().StartAsync();

        await ReadTranscriptAsync(harness, Guid.NewGuid().ToString("D"), expectedStatus: 404);
        await ReadTranscriptAsync(harness, "not-a-uuid", expectedStatus: 400);
        await ReadTranscriptAsync(harness, Guid.NewGuid().ToString("D"), since: "-1", expectedStatus: 400);
    }

    [Fact]
    public async Task BurstOfUpdates_IsCoalescedAndTheLastOneStillLeadsToAFetch()
    {
        await using var harness = await Harness().StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        ServeCall(callId, lines: 5);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            // 50 updates spread over one second.
            var due = TimeSpan.FromMilliseconds(i * 20) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            await harness.PostAsync(Event("call.transcript_update", callId), $"msg_{i}");
        }

        var burst = clock.Elapsed;
        var lastUpdate = DateTimeOffset.UtcNow;
        await harness.RunUntilIdleAsync();

        var fetches = _server.To($"/api/v1/calls/{callId}");
        // At most one fetch per 2 s window, plus the one the first update starts: 2 for a burst of up to 2 s.
        var allowed = 1 + (int)Math.Ceiling(burst.TotalSeconds / 2.0);
        Assert.True(fetches.Count >= 1 && fetches.Count <= allowed, $"{fetches.Count} fetches for a burst of {burst.TotalSeconds:F2} s");
        Assert.All(fetches.Zip(fetches.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(1.9), "two fetches inside one window"));
        Assert.True(fetches[^1].At >= lastUpdate.AddSeconds(-1.2), "the last update did not lead to a fetch");
        Assert.Equal(5, (await ReadTranscriptAsync(harness, callId)).GetProperty("lines").GetArrayLength());
    }

    /// <summary>
    /// Issue 21: two copies of one update (same event id, as a webhook retry sends them) routed together both sent
    /// the fetch message (the second as the "update that scheduled it"), and the fetcher let the second copy of the
    /// message fetch again: two API calls in one window (seen: "2 fetches for one update, 7 ms after the first"). A late
    /// copy adds no fetch either, and a later, distinct update still gets its own.
    /// </summary>
    [Fact]
    public async Task DuplicateTranscriptUpdate_MakesOneFetchAndALaterUpdateStillGetsOne()
    {
        await using var harness = await Harness().StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        ServeCall(callId, lines: 3);
        var update = Event("call.transcript_update", callId);

        await harness.PostAsync(update, "msg_1");
        await harness.PostAsync(update, "msg_1");
        await harness.RunUntilIdleAsync();
        // A late copy, after the fetch it scheduled ran: that fetch read everything it announced.
        await harness.PostAsync(update, "msg_1");
        await harness.RunUntilIdleAsync();
        var afterDuplicates = _server.To($"/api/v1/calls/{callId}").Select(r => r.At).ToList();
        ServeCall(callId, lines: 5);
        await harness.PostAsync(Event("call.transcript_update", callId), "msg_2");
        await harness.RunUntilIdleAsync();

        Assert.True(
            afterDuplicates.Count == 1,
            $"{afterDuplicates.Count} fetches for one update, {string.Join(", ", afterDuplicates.Skip(1).Select(at => $"{(at - afterDuplicates[0]).TotalMilliseconds:F0} ms"))} after the first");
        Assert.Equal(2, _server.To($"/api/v1/calls/{callId}").Count);
        Assert.Equal(5, (await ReadTranscriptAsync(harness, callId)).GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task KeywordOnACallerLine_StartsTheStepOncePerCall()
    {
        await using var harness = await Harness()
            .WithSetting("Transcripts:Triggers:0:Name", "refund")
            .WithSetting("Transcripts:Triggers:0:Phrases:0", "charged twice")
            .WithSetting("Transcripts:Triggers:0:Step", "notify")
            .WithAction("notify", _server.Url("notify"), NotifySecret)
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        ServeCall(callId, lines: 2);

        await harness.PostAsync(Event("call.transcript_update", callId), "msg_1");
        await harness.RunUntilIdleAsync();
        ServeCall(callId, lines: 5);
        await harness.PostAsync(Event("call.transcript_update", callId), "msg_2");
        await harness.RunUntilIdleAsync();

        var notified = Assert.Single(_server.To("/notify"));
        Assert.Equal($"{callId}:trigger:refund:notify", notified.Header("Idempotency-Key"));
        using var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(NotifySecret)], TimeSpan.FromMinutes(5));
        Assert.True(verifier.Verify(notified.Body, notified.Header).IsValid);
        var run = await harness.App.GetRequiredService<RunStore>().FindAsync($"{callId}:trigger:refund", CancellationToken.None);
        Assert.Equal(RunStatus.Completed, run!.Status);
        Assert.Null(await harness.RunOfAsync(callId));
    }

    [Fact]
    public async Task BadTrigger_StopsStart()
    {
        var settings = TestApp.Settings(azurite.ConnectionString);
        settings["Transcripts:Triggers:0:Name"] = "x";
        settings["Transcripts:Triggers:0:Pattern"] = "(unclosed";
        settings["Transcripts:Triggers:0:Step"] = "escalate";
        using var app = TestApp.Build(settings);

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => app.GetRequiredService<Microsoft.Extensions.Options.IOptions<TranscriptOptions>>().Value);

        Assert.Contains("Pattern is not a valid regular expression", error.Message, StringComparison.Ordinal);
        Assert.Contains("step 'escalate' is unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallStarted_RecordsTheCallForwardsItOncePerCallAndLaterStepsUpdateIt()
    {
        await using var harness = await Harness()
            .WithSetting("CallStarted:Url", _server.Url("started").ToString())
            .WithSetting("CallStarted:Secret", NotifySecret)
            .WithSteps("fetch-call")
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        ServeCall(callId, lines: 5);
        var started = Event("call.started", callId);
        var calls = harness.App.GetRequiredService<CallRecords>();

        await harness.PostAsync(started, "msg_1");
        await harness.PostAsync(started, "msg_1");
        await harness.RunUntilIdleAsync();
        var inProgress = await calls.StatusAsync(callId, CancellationToken.None);
        await harness.PostAsync(Event("call.completed", callId), "msg_2");
        await harness.RunUntilIdleAsync();
        await harness.PostAsync(Event("call.started", callId), "msg_3");
        await harness.RunUntilIdleAsync();

        Assert.Equal("in_progress", inProgress);
        Assert.Equal("completed", await calls.StatusAsync(callId, CancellationToken.None));
        // Forwarded once per call: the duplicate, and a later call.started with another event id, find it forwarded.
        var forwarded = Assert.Single(_server.To("/started"));
        Assert.Equal($"{callId}:call.started", forwarded.Header("Idempotency-Key"));
    }

    [Fact]
    public async Task ACallStartedLiveAndCompleted_IsIndexedOnceByEachPath_WithItsNumbersFromTheFirstTranscriptFetch_AndItsEndFromFetchCall()
    {
        var index = new CountingCallIndex(new TableServiceClient(azurite.ConnectionString));
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithServices(services => services.AddSingleton<CallIndex>(index))
            .WithSimpleAiApi(_server.Url("api/v1"))
            .WithTranscriptCoalescing(TimeSpan.Zero)
            .WithSteps("fetch-call")
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        var fixtureStart = new DateTimeOffset(2026, 4, 12, 14, 30, 2, TimeSpan.Zero);
        ServeCall(callId, lines: 2);

        await harness.PostAsync(Event("call.started", callId), "msg_1");
        await harness.PostAsync(Event("call.transcript_update", callId), "msg_2");
        await harness.RunUntilIdleAsync();
        var live = await index.FindAsync(callId, fixtureStart, CancellationToken.None);
        ServeCall(callId, lines: 4);
        await harness.PostAsync(Event("call.transcript_update", callId), "msg_3");
        await harness.RunUntilIdleAsync();
        await harness.PostAsync(Event("call.completed", callId), "msg_4");
        await harness.RunUntilIdleAsync();
        var ended = await index.FindAsync(callId, fixtureStart, CancellationToken.None);
        var byNumber = await index.OfNumberAsync("+15551234567", fixtureStart.AddHours(-1), fixtureStart.AddHours(1), CancellationToken.None);

        Assert.Equal(("+15551234567", "+15557654321"), (live!.From, live.To));
        Assert.Equal(fixtureStart, live.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 4, 12, 14, 36, 47, TimeSpan.Zero), ended!.EndedAt);
        Assert.Equal("completed", ended.Status);
        Assert.Contains(byNumber, f => f.CallId == callId);
        Assert.Equal(4, (await harness.App.GetRequiredService<TranscriptStore>().ReadLinesAsync(callId, 0, CancellationToken.None))!.Count);
        // One request each: call.started, the first of the two transcript fetches, fetch-call.
        Assert.Equal(["read", "read", "started"], index.Writes.Where(w => w.CallId == callId).Select(w => w.Kind).Order(StringComparer.Ordinal));
    }

    /// <summary>The index, recording each write (each is one storage request).</summary>
    private sealed class CountingCallIndex(TableServiceClient tables) : CallIndex(tables, TimeProvider.System)
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string CallId, string Kind)> Writes { get; } = new();

        public override Task StartedAsync(string callId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
        {
            Writes.Enqueue((callId, "started"));
            return base.StartedAsync(callId, receivedAt, cancellationToken);
        }

        public override Task ReadAsync(string callId, SimpleAi.Webhooks.SimpleAiApi.SimpleAiCall call, CancellationToken cancellationToken)
        {
            Writes.Enqueue((callId, "read"));
            return base.ReadAsync(callId, call, cancellationToken);
        }
    }
}
