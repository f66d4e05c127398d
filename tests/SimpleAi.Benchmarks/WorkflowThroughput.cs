using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using SimpleAi.Testing;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Benchmarks;

/// <summary>
/// A measured loop (too long a run for BenchmarkDotNet): N signed call.completed events, half delivered twice,
/// through RouteEvent and a three-step workflow of no-op steps on Azurite, with the dispatcher playing the host.
/// The floor runs the same number of bare operations through the same dispatcher: for every message handled one
/// receive and delete, one table insert, and one send for every hop that has a next queue.
/// </summary>
public static class WorkflowThroughput
{
    private const int Calls = 200;
    private const int Rounds = 7;

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
            .AppendLine(CultureInfo.InvariantCulture, $"{Calls} calls, each `call.completed` posted once and half of them a second time ({Calls + Calls / 2} deliveries), through RouteEvent and 3 no-op steps on Azurite; dispatcher batch {WorkflowHarness.FastHost.BatchSize}. Median of {Rounds} rounds, each on a fresh Azurite after an untimed warm-up round on it.")
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

    /// <summary>Posts the deliveries (not timed), then times the dispatcher until every queue is empty.</summary>
    private static async Task<double> EngineAsync(string connection, StorageRequestCounter? counter)
    {
        await using var harness = await WorkflowHarness.StartAsync(connection, services =>
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
        });
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

        var clock = Stopwatch.StartNew();
        await harness.RunUntilIdleAsync(600);
        var seconds = clock.Elapsed.TotalSeconds;
        var expected = Calls * WorkflowHarness.Steps.Length;
        var effects = harness.Effects.Invocations.Count;
        if (effects != expected || harness.Dispatcher.Failures.Count != 0)
        {
            throw new InvalidOperationException($"Expected {expected} step effects and no failures, saw {effects} and {harness.Dispatcher.Failures.Count}: " + string.Join("; ", harness.Dispatcher.Failures.GroupBy(f => (f.Queue, f.Error.GetType().Name, f.Error.Message.Split(" ")[0])).Select(g => $"{g.Key} x{g.Count()}")));
        }

        return seconds;
    }

    /// <summary>
    /// The same hops with nothing but the unavoidable storage work: 300 event messages and 600 step messages are
    /// received and deleted, each does one table insert, and 600 of them send the next hop.
    /// </summary>
    private static async Task<double> FloorAsync(string connection)
    {
        var queues = new QueueServiceClient(connection, AzureConnections.QueueOptions());
        var tables = new TableServiceClient(connection);
        var table = tables.GetTableClient("floor");
        await table.CreateIfNotExistsAsync();
        string[] chain = ["floor-events", "floor-a", "floor-b", "floor-c"];
        foreach (var name in chain)
        {
            await queues.GetQueueClient(name).CreateIfNotExistsAsync();
            await queues.GetQueueClient(name).ClearMessagesAsync();
        }

        var first = queues.GetQueueClient(chain[0]);
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
        var dispatcher = new QueueTriggerDispatcher(queues, WorkflowHarness.FastHost);
        for (var hop = 0; hop < chain.Length; hop++)
        {
            var next = hop + 1 < chain.Length ? queues.GetQueueClient(chain[hop + 1]) : null;
            var hopName = chain[hop];
            dispatcher.On(hopName, async (message, token) =>
            {
                var (call, copy) = (message.MessageText.Split(':')[0], message.MessageText.Split(':')[1]);
                await table.AddEntityAsync(new TableEntity(call, $"{hopName}-{copy}"), token);
                if (next is not null && copy == "0")
                {
                    await next.SendMessageAsync(message.MessageText, token);
                }
            });
        }

        var clock = Stopwatch.StartNew();
        await dispatcher.RunUntilIdleAsync(TimeSpan.FromMinutes(10));
        return clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
