using System.Net;
using Azure.Storage.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SimpleAi.LocalHost;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>
/// The local host runs the app's functions under the WebJobs SDK's real listeners; these tests pin what it runs and
/// the listener's behaviour the app must live with (they fail if the host or the extension stops behaving so).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalFunctionsHostTests(AzuriteFixture azurite)
{
    private readonly QueueServiceClient _queues = new(azurite.ConnectionString, AzureConnections.QueueOptions());

    private Task<LocalFunctionsHost> StartAsync(
        Type[]? extra = null, Action<Microsoft.Azure.WebJobs.Host.QueuesOptions>? queues = null, bool clear = true, Action<IServiceCollection>? services = null,
        Action<Microsoft.Azure.Functions.Worker.IFunctionsWorkerApplicationBuilder>? worker = null) =>
        LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(TestApp.Settings(azurite.ConnectionString)).Build(),
            ConfigureLogging = logging => logging.AddProvider(new RecordingLoggerProvider()),
            HostLogLevel = LogLevel.Warning,
            ExtraFunctionTypes = extra ?? [],
            ConfigureServices = s =>
            {
                s.AddSingleton<ProbeLog>();
                services?.Invoke(s);
            },
            ConfigureQueues = q =>
            {
                WorkflowHarness.FastQueues(q);
                queues?.Invoke(q);
            },
            ClearQueues = clear,
            ConfigureWorker = worker,
        });

    [Fact]
    public async Task QueueListeners_AreTheQueueTriggersOfFunctionsMetadata()
    {
        await using var host = await StartAsync();
        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var triggers = metadata.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "queueTrigger")
            .Select(b => b.GetProperty("queueName").GetString())
            .Order(StringComparer.Ordinal);

        Assert.Equal(triggers, host.TriggerQueues.Order(StringComparer.Ordinal));
        Assert.Contains(QueueNames.Events, host.TriggerQueues);
        Assert.Contains(QueueNames.Step("fetch-call"), host.TriggerQueues);
    }

    [Fact]
    public void HostJsonQueueSettings_AreReadAsTheExtensionBindsThem()
    {
        var options = HostJson.QueuesOptions(RepoPaths.HostJson);

        Assert.Equal(16, options.BatchSize);
        Assert.Equal(8, options.NewBatchThreshold);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxPollingInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.VisibilityTimeout);
        Assert.Equal(5, options.MaxDequeueCount);
        Assert.Equal(QueueMessageEncoding.None, options.MessageEncoding);
        Assert.Equal("api", HostJson.RoutePrefix(RepoPaths.HostJson));
    }

    [Fact]
    public async Task Listeners_RunWithHostJsonSettings_ThenTheOverrides()
    {
        await using var host = await StartAsync(queues: q => q.BatchSize = 4);

        var options = host.QueuesOptions;
        Assert.Equal(4, options.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.VisibilityTimeout);
        Assert.Equal(8, options.NewBatchThreshold);
        Assert.Equal(5, options.MaxDequeueCount);
        Assert.Equal(QueueMessageEncoding.None, options.MessageEncoding);
    }

    [Fact]
    public async Task QueueFunction_GetsTheMessageTextAndTheBindingData()
    {
        await using var host = await StartAsync([typeof(RecordingProbe)]);
        var log = host.Services.GetRequiredService<ProbeLog>();

        await _queues.GetQueueClient(RecordingProbe.Queue).SendMessageAsync("{\"hello\":\"plain text, not base64\"}");
        await host.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));

        var invocation = Assert.Single(log.Invocations);
        Assert.Equal("{\"hello\":\"plain text, not base64\"}", invocation.Message);
        Assert.Equal(1, invocation.DequeueCount);
        Assert.Empty(host.Failures);
        // What the queue extension binds, converted as the host sends it and the worker reads it: strings and JSON text.
        var data = Assert.Single(log.BindingData);
        Assert.Equal(
            ["DequeueCount", "ExpirationTime", "Id", "InsertionTime", "NextVisibleTime", "PopReceipt", "QueueTrigger"],
            data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("{\"hello\":\"plain text, not base64\"}", data["QueueTrigger"]);
        Assert.Equal("1", data["DequeueCount"]);
        Assert.Matches("^\"\\d{4}-\\d{2}-\\d{2}T[^\"]+\"$", Assert.IsType<string>(data["InsertionTime"]));
    }

    [Fact]
    public async Task MessageAlreadyAboveMaxDequeueCount_IsPoisonedWithoutInvokingTheFunction_WithTheDefaultTimeToLive()
    {
        var queue = _queues.GetQueueClient(RecordingProbe.Queue);
        await queue.CreateIfNotExistsAsync();
        await queue.ClearMessagesAsync();
        await _queues.GetQueueClient(QueueNames.PoisonOf(RecordingProbe.Queue)).DeleteIfExistsAsync();
        await queue.SendMessageAsync("tried too often", timeToLive: TimeSpan.FromSeconds(-1));
        var maxDequeueCount = HostJson.QueuesOptions(RepoPaths.HostJson).MaxDequeueCount;
        for (var i = 0; i < maxDequeueCount; i++)
        {
            // Received and given up, as by a host that died while handling it.
            var received = (await queue.ReceiveMessagesAsync(1)).Value.Single();
            await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        await using var host = await StartAsync([typeof(RecordingProbe)], clear: false);
        await host.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(host.Services.GetRequiredService<ProbeLog>().Invocations);
        var poisoned = Assert.Single((await _queues.GetQueueClient(QueueNames.PoisonOf(RecordingProbe.Queue)).PeekMessagesAsync(10)).Value);
        Assert.Equal("tried too often", poisoned.MessageText);
        // The extension copies the body only: the copy gets the service's default time-to-live, 7 days.
        Assert.Equal(TimeSpan.FromDays(7), poisoned.ExpiresOn - poisoned.InsertedOn);
    }

    [Fact]
    public async Task FailingFunction_IsRetriedWithTheNextDequeueCount_AndPoisonedAfterMaxDequeueCount()
    {
        await using var host = await StartAsync([typeof(FailingProbe)]);

        await _queues.GetQueueClient(FailingProbe.Queue).SendMessageAsync("always fails");
        await host.WaitUntilIdleAsync(TimeSpan.FromSeconds(60));

        var tries = host.Services.GetRequiredService<ProbeLog>().Invocations.Select(i => i.DequeueCount).Order();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], tries);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], host.Failures.Select(f => f.DequeueCount).Order());
        Assert.All(host.Failures, f => Assert.Equal(FailingProbe.Queue, f.Queue));
        Assert.Contains("cancellable: True", host.Failures[0].Error.Message, StringComparison.Ordinal);
        var poisoned = (await _queues.GetQueueClient(QueueNames.PoisonOf(FailingProbe.Queue)).ReceiveMessagesAsync(10)).Value;
        Assert.Equal("always fails", Assert.Single(poisoned).MessageText);
    }

    [Fact]
    public async Task FailedTry_StaysInvisibleForTheVisibilityTimeout()
    {
        await using var host = await StartAsync([typeof(FailingProbe)], queues: q => q.VisibilityTimeout = TimeSpan.FromMinutes(10));
        var queue = _queues.GetQueueClient(FailingProbe.Queue);

        await queue.SendMessageAsync("fails once, then waits");
        await Conditions.WaitAsync(() => host.Failures.Count == 1 && host.InFlight == 0, TimeSpan.FromSeconds(30), "the host to settle");
        // Released after the failure: still in the queue, invisible, not tried again.
        await Conditions.WaitAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 1, TimeSpan.FromSeconds(30), "the host to settle");

        Assert.Empty((await queue.PeekMessagesAsync(10)).Value);
        Assert.Single(host.Services.GetRequiredService<ProbeLog>().Invocations);
    }

    /// <summary>
    /// host.json's per-category levels reach the local host's WebJobs logging as the Functions host applies them: the
    /// PoisonSweep timer's "Executing"/"Executed" lines, every 30 s, are below host.json's Warning for it.
    /// </summary>
    [Fact]
    public void HostJsonLogLevels_AreTheHostsFilters_AndAnIdleSweepIsBelowThem()
    {
        var levels = HostJson.LogLevels(RepoPaths.HostJson);

        Assert.Equal(LogLevel.Warning, levels["Function.PoisonSweep"]);
        Assert.Equal(LogLevel.Information, levels["Function"]);
        Assert.DoesNotContain("default", levels.Keys);
    }

    [Fact]
    public async Task TimerFunction_RunsUnderTheWebJobsTimerListener()
    {
        await using var host = await StartAsync([typeof(TimerProbe)]);

        await Conditions.WaitAsync(() => host.Services.GetRequiredService<ProbeLog>().Invocations.Count >= 2, TimeSpan.FromSeconds(30), "the host to settle");

        Assert.All(host.Services.GetRequiredService<ProbeLog>().Invocations, i => Assert.Equal("probe-timer", i.Function));
        Assert.Empty(host.Failures);
    }

    [Fact]
    public async Task HttpRoutes_AnswerFromTheirFunctions()
    {
        await using var host = await StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var unknownCall = await http.GetAsync(new Uri($"api/calls/{Guid.NewGuid():D}/transcript", UriKind.Relative));
        var badCallId = await http.GetAsync(new Uri("api/calls/not-a-uuid/transcript", UriKind.Relative));
        var wrongMethod = await http.PostAsync(new Uri($"api/calls/{Guid.NewGuid():D}/transcript", UriKind.Relative), null);
        var unsigned = await http.PostAsync(new Uri("api/webhooks/simple-ai", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var ingestGet = await http.GetAsync(new Uri("api/webhooks/simple-ai", UriKind.Relative));
        var preCall = await http.PostAsync(new Uri("api/precall", UriKind.Relative), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var nowhere = await http.GetAsync(new Uri("api/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, unknownCall.StatusCode);
        Assert.Contains("Nothing is known of call", await unknownCall.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badCallId.StatusCode);
        Assert.Contains("callId must be a UUID", await badCallId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, ingestGet.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, preCall.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nowhere.StatusCode);
    }

    /// <summary>
    /// Middleware the app adds (FunctionsApp.Configure, here the test's on the same builder) runs around every invocation
    /// as the worker runs it: the first added outermost, a failure passing through it, the trigger in the definition's
    /// input bindings, and for HTTP the HttpContext where the ASP.NET Core integration puts it.
    /// </summary>
    [Fact]
    public async Task WorkerMiddleware_RunsAroundEachInvocation_FirstAddedOutermost()
    {
        await using var host = await StartAsync(
            [typeof(RecordingProbe), typeof(FailingProbe)],
            queues: q => q.MaxDequeueCount = 1,
            services: s => s.AddSingleton<MiddlewareLog>(),
            worker: w => w.UseMiddleware<OuterMiddleware>().UseMiddleware<InnerMiddleware>());
        var log = host.Services.GetRequiredService<MiddlewareLog>();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        await _queues.GetQueueClient(RecordingProbe.Queue).SendMessageAsync("through the middleware");
        await host.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));
        var recorded = log.Entries.ToList();
        log.Entries.Clear();
        await _queues.GetQueueClient(FailingProbe.Queue).SendMessageAsync("fails through the middleware");
        await host.WaitUntilIdleAsync(TimeSpan.FromSeconds(30));
        var failed = log.Entries.ToList();
        log.Entries.Clear();
        var response = await http.GetAsync(new Uri("api/calls/not-a-uuid/transcript", UriKind.Relative));

        Assert.Equal(
            ["outer before probe-recording (queueTrigger)", "inner before probe-recording (queueTrigger)", "inner after probe-recording", "outer after probe-recording"],
            recorded);
        Assert.Equal(
            ["outer before probe-failing (queueTrigger)", "inner before probe-failing (queueTrigger)", "inner saw InvalidOperationException from probe-failing", "outer saw InvalidOperationException from probe-failing"],
            failed);
        Assert.Single(host.Failures);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ["outer before TranscriptRead (httpTrigger with HttpContext)", "inner before TranscriptRead (httpTrigger with HttpContext)", "inner after TranscriptRead", "outer after TranscriptRead"],
            log.Entries);
    }

    [Fact]
    public async Task UnsupportedParameter_StopsStartNamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync([typeof(UnbindableProbe)]));

        Assert.Contains("probe-unbindable", error.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'log'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnservedBinding_StopsStartNamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync([typeof(BlobInputFunction)]));

        Assert.Contains("unserved-blob-input", error.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'call': [BlobInput]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowStepWithoutAFunction_StopsStartNamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(services: s =>
            s.AddSingleton<EffectLog>().AddWorkflowStep<StepA>("forgotten")));

        Assert.Contains("'forgotten'", error.Message, StringComparison.Ordinal);
        Assert.Contains("step-forgotten", error.Message, StringComparison.Ordinal);
    }
}
