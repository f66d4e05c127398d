using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using SimpleAi.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SimpleAi.LocalHost;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Benchmarks;

/// <summary>
/// A measured loop (too long a run for BenchmarkDotNet): N signed call.completed events, half delivered twice,
/// through RouteEvent and a three-step workflow of no-op steps on Azurite, under the local host (the WebJobs SDK's
/// Storage Queues listeners). The floor runs the same number of bare operations through the same host and listeners:
/// for every message handled one receive and delete, one table insert, and one send for every hop that has a next
/// queue. The listeners run while the deliveries arrive, so both clocks run from the first delivery (the engine's
/// signed posts, the floor's bare sends) until every queue is empty.
/// </summary>
public static class WorkflowThroughput
{
    private static readonly int Calls = int.TryParse(Environment.GetEnvironmentVariable("WORKFLOW_CALLS"), out var n) ? n : 200;
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("WORKFLOW_ROUNDS"), out var n) ? n : 7;

    public static async Task<LoopResult> RunAsync()
    {
        var engine = new List<double>();
        var floor = new List<double>();
        var requests = new StorageRequestCounter();
        for (var round = 0; round < Rounds; round++)
        {
            // A fresh emulator per round, so no round inherits the last one's queues, tables and clean-up debt.
            var azurite = new AzuriteFixture();
            await azurite.InitializeAsync();
            try
            {
                // Warm-up (not counted): JIT, this Azurite's first tables and queues.
                await FloorAsync(azurite.ConnectionString);
                await EngineAsync(azurite.ConnectionString, null);
                floor.Add(await FloorAsync(azurite.ConnectionString));
                engine.Add(await EngineAsync(azurite.ConnectionString, round == 0 ? requests : null));
                Console.WriteLine($"round {round + 1}: engine {engine[^1]:F2} s, floor {floor[^1]:F2} s");
            }
            finally
            {
                await azurite.DisposeAsync();
            }
        }

        var engineMedian = Median(engine);
        var floorMedian = Median(floor);
        var ratioMedian = Median(engine.Zip(floor, (e, f) => e / f).ToList());
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Workflow throughput ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version})")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{Calls} calls, each `call.completed` posted once and half of them a second time ({Calls + Calls / 2} deliveries), through RouteEvent and 3 no-op steps on Azurite; WebJobs queue listeners with host.json's batch size, polling an empty queue at most every 200 ms; timed from the first delivery until every queue is empty. Median of {Rounds} rounds, each on a fresh Azurite after an untimed warm-up round on it.")
            .AppendLine()
            .AppendLine("| | median s | calls/s | ratio |")
            .AppendLine("|---|---:|---:|---:|")
            .AppendLine(CultureInfo.InvariantCulture, $"| floor (bare receive+delete, insert, send per hop) | {floorMedian:F2} | {Calls / floorMedian:F0} | 1.00 |")
            .AppendLine(CultureInfo.InvariantCulture, $"| engine (RouteEvent + 3 steps) | {engineMedian:F2} | {Calls / engineMedian:F0} | {engineMedian / floorMedian:F2} |")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Median of the per-round ratios (each round runs the floor, then the engine): {ratioMedian:F2}.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Rounds: engine {string.Join(", ", engine.Select(e => e.ToString("F2", CultureInfo.InvariantCulture)))} s; floor {string.Join(", ", floor.Select(f => f.ToString("F2", CultureInfo.InvariantCulture)))} s.")
            .AppendLine()
            .AppendLine("Storage requests the app sent in one engine round (the host's receives and deletes not included; ingest's 300 sends to `events` included):")
            .AppendLine()
            .AppendLine("| request | count |")
            .AppendLine("|---|---:|")
            .AppendJoin(string.Empty, requests.Counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"| `{c.Key}` | {c.Value} |{Environment.NewLine}"))
            .ToString();
        var ratio = engineMedian / floorMedian;
        return new LoopResult("WorkflowThroughput.md", report,
            [new TargetRow($"workflow throughput, {Calls} calls, half delivered twice: engine vs bare receive/delete, insert, send per hop", $"{floorMedian:F2} s", $"{engineMedian:F2} s", ratio, "≤ 1.3", ratio <= 1.3, "—", "WorkflowThroughput.md")]);
    }

    /// <summary>Times the deliveries' posts and the listeners until every queue is empty.</summary>
    private static async Task<double> EngineAsync(string connection, StorageRequestCounter? counter)
    {
        await using var harness = await WorkflowHarness.Create(connection)
            .WithServices(services =>
            {
                if (counter is not null)
                {
                    var queueOptions = AzureConnections.QueueOptions();
                    queueOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
                    var tableOptions = new TableClientOptions();
                    tableOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
                    services.AddSingleton(new QueueServiceClient(connection, queueOptions));
                    services.AddSingleton(new TableServiceClient(connection, tableOptions));
                }
            })
            .StartAsync();
        var clock = Stopwatch.StartNew();
        var posts = new List<Task<HttpResponseRecord>>();
        for (var i = 0; i < Calls; i++)
        {
            var body = WorkflowHarness.CallCompleted(Guid.NewGuid().ToString("D"), "evt_" + Guid.NewGuid().ToString("N"));
            posts.Add(harness.PostAsync(body, $"msg_{i}"));
            if (i % 2 == 0)
            {
                posts.Add(harness.PostAsync(body, $"msg_{i}"));
            }
        }

        var responses = await Task.WhenAll(posts);
        if (responses.Any(r => r.Status != 202))
        {
            throw new InvalidOperationException("A delivery was not accepted.");
        }

        await harness.RunUntilIdleAsync(600);
        var seconds = clock.Elapsed.TotalSeconds;
        var expected = Calls * WorkflowHarness.Steps.Length;
        var effects = harness.Effects.Invocations.Count;
        if (effects != expected || harness.Host.Failures.Count != 0)
        {
            throw new InvalidOperationException($"Expected {expected} step effects and no failures, saw {effects} and {harness.Host.Failures.Count}: " + string.Join("; ", harness.Host.Failures.GroupBy(f => (f.Queue, f.Error.GetType().Name, f.Error.Message.Split(" ")[0])).Select(g => $"{g.Key} x{g.Count()}")));
        }

        return seconds;
    }

    /// <summary>
    /// The same hops with nothing but the unavoidable storage work, under the same host: 300 event messages and 600
    /// step messages are received and deleted, each does one table insert, and 600 of them send the next hop.
    /// </summary>
    private static async Task<double> FloorAsync(string connection)
    {
        var queues = new QueueServiceClient(connection, AzureConnections.QueueOptions());
        var table = new TableServiceClient(connection).GetTableClient("floor");
        await table.CreateIfNotExistsAsync();
        await using var host = await LocalFunctionsHost.StartAsync(new LocalHostOptions
        {
            Configuration = new ConfigurationBuilder().AddInMemoryCollection(TestApp.Settings(connection)).Build(),
            HostLogLevel = LogLevel.Warning,
            ConfigureServices = services => services.AddSingleton(new FloorHops(queues, table)),
            ExtraFunctionTypes = [typeof(FloorFunctions)],
            ConfigureQueues = WorkflowHarness.FastQueues,
            HttpUrl = null,
            ClearQueues = true,
        });

        var first = queues.GetQueueClient(FloorHops.Chain[0]);
        var clock = Stopwatch.StartNew();
        var sends = new List<Task>();
        for (var i = 0; i < Calls; i++)
        {
            var call = Guid.NewGuid().ToString("N");
            sends.Add(first.SendMessageAsync($"{call}:0"));
            if (i % 2 == 0)
            {
                sends.Add(first.SendMessageAsync($"{call}:1"));
            }
        }

        await Task.WhenAll(sends);
        await host.WaitUntilIdleAsync(TimeSpan.FromMinutes(10));
        var seconds = clock.Elapsed.TotalSeconds;
        if (host.Failures.Count != 0)
        {
            throw new InvalidOperationException("The floor failed: " + string.Join("; ", host.Failures
                .GroupBy(f => (f.Queue, f.DequeueCount, f.Error.GetType().Name, f.Error.Message.Split('\n')[0]))
                .Select(g => $"{g.Key} x{g.Count()}")));
        }

        return seconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
