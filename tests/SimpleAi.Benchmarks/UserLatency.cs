using System.Collections.Concurrent;
using System.Globalization;
using SimpleAi.Webhooks.Actions;
using System.Text;
using SimpleAi.Testing;

namespace SimpleAi.Benchmarks;

/// <summary>
/// Latency as a user feels it: a signed call.completed accepted (its 202) → the workflow's last action posted to its
/// endpoint, through the whole app under the WebJobs queue listeners with host.json's queue settings, on Azurite. The
/// workflow is the README's post-call table (fetch-call, crm-sync, ticket, follow-up, notify); the Simple AI API and
/// every action endpoint are one local HTTP server, and for the fixture call the last action is notify (Slack).
/// Two loads: <c>SIMPLEAI_LATENCY_CALLS</c> calls one at a time (each sent when the previous one's notify arrived,
/// default 50), then a steady <c>SIMPLEAI_LATENCY_RATE</c> calls a second (default 20) for <c>SIMPLEAI_LATENCY_SECONDS</c> (default 30).
/// </summary>
public static class UserLatency
{
    private const string NotifyPath = "/slack";

    public static async Task<LoopResult> RunAsync()
    {
        var calls = Setting("SIMPLEAI_LATENCY_CALLS", 50);
        var rate = Setting("SIMPLEAI_LATENCY_RATE", 20);
        var seconds = Setting("SIMPLEAI_LATENCY_SECONDS", 30);
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await using var server = await FakeHttpServer.StartAsync();
            await using var harness = await PostCallWorkflow(WorkflowHarness.Create(azurite.ConnectionString), server).WithQueues(HostJsonQueues.Apply).StartAsync();
            var notified = new NotifyWatcher(server);
            using var watching = new CancellationTokenSource();
            var watcher = notified.WatchAsync(watching.Token);

            // Warm-up (not counted): JIT, the tables and the listeners' first polls.
            await OneAtATimeAsync(harness, server, notified, 3);
            var alone = await OneAtATimeAsync(harness, server, notified, calls);
            Console.WriteLine($"one at a time: p50 {Percentile(alone, 0.5):F2} s, p99 {Percentile(alone, 0.99):F2} s");
            var steady = await SteadyAsync(harness, server, notified, rate, seconds);
            Console.WriteLine($"{rate} a second: p50 {Percentile(steady, 0.5):F2} s, p99 {Percentile(steady, 0.99):F2} s");
            await watching.CancelAsync();
            await watcher;
            if (harness.Host.Failures.Count != 0)
            {
                throw new InvalidOperationException("The app failed: " + string.Join("; ", harness.Host.Failures.Take(5)));
            }

            return Report(calls, rate, seconds, alone, steady);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>The README's post-call workflow with every endpoint on <paramref name="server"/> (as PostCallWorkflowTests sets it up).</summary>
    private static WorkflowHarnessBuilder PostCallWorkflow(WorkflowHarnessBuilder app, FakeHttpServer server)
    {
        app.WithSimpleAiApi(server.Url("api/v1"))
            .WithSteps("fetch-call", "crm-sync", "ticket", "follow-up", "notify")
            .When("ticket", "tags", "contains", "escalation")
            .When("ticket", "analysis:Caller sentiment", "eq", "negative")
            .When("follow-up", "answered_by", "eq", "voicemail")
            .When("notify", "analysis:3", "eq", "true");
        foreach (var (step, path) in new Dictionary<string, string> { ["crm-sync"] = "/crm", ["ticket"] = "/tickets", ["follow-up"] = "/follow-ups", ["notify"] = NotifyPath })
        {
            app.WithAction(step, server.Url(path), "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{step}-latency-secret-0123456789")));
        }

        return app.WithSetting("Actions:notify:Format", "slack");
    }

    private static async Task<List<double>> OneAtATimeAsync(WorkflowHarness harness, FakeHttpServer server, NotifyWatcher notified, int calls)
    {
        var latencies = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            latencies.Add(await CallAsync(harness, server, notified));
        }

        return latencies;
    }

    /// <summary>One call sent every 1/<paramref name="rate"/> s for <paramref name="seconds"/>, whatever the earlier ones are doing.</summary>
    private static async Task<List<double>> SteadyAsync(WorkflowHarness harness, FakeHttpServer server, NotifyWatcher notified, int rate, int seconds)
    {
        var calls = new List<Task<double>>();
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / rate));
        for (var i = 0; i < rate * seconds; i++)
        {
            calls.Add(CallAsync(harness, server, notified));
            await ticks.WaitForNextTickAsync();
        }

        return [.. await Task.WhenAll(calls)];
    }

    /// <summary>Posts one fixture call.completed and returns the seconds from its 202 to its notify post arriving.</summary>
    private static async Task<double> CallAsync(WorkflowHarness harness, FakeHttpServer server, NotifyWatcher notified)
    {
        var call = Guid.NewGuid().ToString("D");
        server.Default($"/api/v1/calls/{call}", FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json")));
        var arrived = notified.For(call);
        var response = await harness.PostAsync(WorkflowHarness.CallCompleted(call, "evt_" + Guid.NewGuid().ToString("N")), "msg_" + call);
        var accepted = DateTimeOffset.UtcNow;
        if (response.Status != 202)
        {
            throw new InvalidOperationException($"The call.completed was answered {response.Status}, not 202.");
        }

        var posted = await arrived.WaitAsync(TimeSpan.FromMinutes(2));
        return (posted - accepted).TotalSeconds;
    }

    private static int Setting(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static LoopResult Report(int calls, int rate, int seconds, List<double> alone, List<double> steady)
    {
        var hostJson = HostJsonQueues.Read();
        string Row(string load, List<double> values) => string.Create(CultureInfo.InvariantCulture,
            $"| {load} | {values.Count} | {values.Min():F2} s | {Percentile(values, 0.5):F2} s | {Percentile(values, 0.99):F2} s | {values.Max():F2} s |");
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Latency as users feel it ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version})")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"A signed `call.completed` for the fixture call, from its 202 to the workflow's last action (notify, the Slack post) arriving at a local HTTP endpoint: WebhookIngest, RouteEvent, then fetch-call (the Simple AI API on the same local server), crm-sync, ticket, notify (follow-up is skipped: not a voicemail), each a queue hop under the WebJobs queue listener with host.json's settings (maxPollingInterval {hostJson.MaxPollingInterval.TotalSeconds:F0} s, batchSize {hostJson.BatchSize}, newBatchThreshold {hostJson.NewBatchThreshold}, visibilityTimeout {hostJson.VisibilityTimeout.TotalSeconds:F0} s), on Azurite (on disk) on the same machine. After 3 untimed calls.")
            .AppendLine()
            .AppendLine("| load | calls | min | p50 | p99 | max |")
            .AppendLine("|---|---:|---:|---:|---:|---:|")
            .AppendLine(Row($"one at a time (each sent when the previous one's notify arrived)", alone))
            .AppendLine(Row($"steady {rate} calls a second for {seconds} s", steady))
            .AppendLine()
            .AppendLine("What bounds it: a queue listener that finds its queue empty waits before it looks again, a little longer each time (randomized exponential back-off) up to maxPollingInterval, and only a message it receives resets the wait. A lone call crosses 5 queues (`events`, then one step queue per step that runs), each listener idle since the last call, so each hop can wait up to maxPollingInterval. Under steady load the queues rarely stay empty, the waits stay short, and the hops cost little more than their storage round trips. batchSize and newBatchThreshold bound how many messages one instance handles at once per queue (up to batchSize + newBatchThreshold); they matter for bursts, not for one call. What a user can tune: a lower `extensions.queues.maxPollingInterval` in host.json (more empty polls, so more storage transactions while idle, on every queue), or the Service Bus transport (`dotnet build -p:QueueTransport=ServiceBus`), whose receivers wait on an open link for the next message instead of polling.")
            .ToString();
        return new LoopResult("UserLatency.md", text, []);
    }

    /// <summary>Takes the local server's requests as they arrive and completes each call's wait when its notify post arrives.</summary>
    private sealed class NotifyWatcher(FakeHttpServer server)
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<DateTimeOffset>> _waits = new(StringComparer.Ordinal);

        public Task<DateTimeOffset> For(string call) =>
            _waits.GetOrAdd(call, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public async Task WatchAsync(CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                while (server.Requests.TryDequeue(out var request))
                {
                    if (request.Path == NotifyPath && request.Header("Idempotency-Key").Split(':')[0] is { Length: > 0 } call)
                    {
                        _waits.GetOrAdd(call, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(request.At);
                    }
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
