using System.Globalization;
using System.Text;
using SimpleAi.Testing;

namespace SimpleAi.Benchmarks;

/// <summary>
/// A measured loop: the same workflow (a call accepted, then three no-op steps in order) run by the app, by the
/// Durable Task Framework on Azure Storage (what Durable Functions runs on) and by the bare floor, engines interleaved
/// in every round and each engine's run on a fresh Azurite (on disk), so no run inherits another's tables, queues or
/// emulator stalls. Per engine: wall time (median over rounds; every round printed, so a stalled round shows), calls
/// per second, latency p50/p99 (accepted → last step done, over every timed call) and storage requests per call
/// (every request on the wire, the engine's own polling included, counted by <see cref="StorageTap"/> in a separate
/// untimed run). Sizes: <c>SIMPLEAI_PEER_CALLS</c> (default <c>200,1000</c>); rounds: <c>SIMPLEAI_PEER_ROUNDS</c>
/// (default 3); the Durable Task settings: <c>SIMPLEAI_PEER_DTFX</c> (<see cref="PeerTuning"/>).
/// </summary>
public static class PeerBenchmark
{
    /// <summary>After a counted batch's last step, the time its trailing deletes and checkpoints get to land (host.json's maxPollingInterval).</summary>
    private static readonly TimeSpan CountSettle = TimeSpan.FromSeconds(2);

    public static async Task<LoopResult> RunAsync()
    {
        var sizes = Setting("SIMPLEAI_PEER_CALLS", "200,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var rounds = int.Parse(Setting("SIMPLEAI_PEER_ROUNDS", "3"), CultureInfo.InvariantCulture);
        var tuning = PeerTuning.FromEnvironment();
        var engines = new List<PeerEngineSpec>
        {
            new("ours", "ours (RouteEvent + 3 no-op steps, half the calls delivered twice)", OursPeerEngine.StartAsync),
            new("DTFx", $"DTFx ({tuning.Name}: 1 orchestration calling 3 no-op activities)", c => DurableTaskPeerEngine.StartAsync(c, tuning)),
            new("floor", "bare floor (receive+delete, insert, send per hop; half delivered twice)", FloorPeerEngine.StartAsync),
        };

        var results = new List<PeerSizeResult>();
        foreach (var size in sizes)
        {
            var runs = engines.ToDictionary(e => e.Key, e => new PeerEngineRuns(e), StringComparer.Ordinal);
            foreach (var engine in engines)
            {
                runs[engine.Key].Requests = await CountAsync(engine, size);
                Console.WriteLine($"{size} calls, {engine.Key}: {(double)runs[engine.Key].Requests.Values.Sum() / size:F1} storage requests per call (counted run)");
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var engine in engines)
                {
                    var batch = await TimeAsync(engine, size);
                    runs[engine.Key].Batches.Add(batch);
                    Console.WriteLine($"{size} calls, round {round + 1}, {engine.Key}: {batch.Seconds:F2} s");
                }
            }

            results.Add(new PeerSizeResult(size, runs));
        }

        return Report(results, rounds, tuning);
    }

    /// <summary>One untimed batch through the tap on a fresh emulator: the requests from the first send to the last step, plus <see cref="CountSettle"/>.</summary>
    private static async Task<Dictionary<string, int>> CountAsync(PeerEngineSpec engine, int calls)
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await using var tap = await StorageTap.StartAsync(azurite.ConnectionString);
            await using var running = await engine.Start(tap.ConnectionString);
            var before = new Dictionary<string, int>(tap.Counts, StringComparer.Ordinal);
            await running.RunAsync(new CallClock(calls), Timeout(calls));
            await Task.Delay(CountSettle);
            running.ThrowIfFailed();
            return tap.Counts.ToDictionary(c => c.Key, c => c.Value - before.GetValueOrDefault(c.Key), StringComparer.Ordinal);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    /// <summary>A fresh emulator, the engine started, an untimed warm-up batch (JIT, tables, leases), then the timed batch.</summary>
    private static async Task<BatchResult> TimeAsync(PeerEngineSpec engine, int calls)
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await using var running = await engine.Start(azurite.ConnectionString);
            var warmUp = Math.Max(10, calls / 20);
            await running.RunAsync(new CallClock(warmUp), Timeout(warmUp));
            await running.SettleAsync(Timeout(warmUp));
            var clock = new CallClock(calls);
            await running.RunAsync(clock, Timeout(calls));
            running.ThrowIfFailed();
            return new BatchResult(clock.WallSeconds, clock.LatencySeconds());
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static TimeSpan Timeout(int calls) => TimeSpan.FromSeconds(120 + calls * 0.6);

    private static string Setting(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    private static LoopResult Report(List<PeerSizeResult> results, int rounds, PeerTuning tuning)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# The peer: Durable Task Framework on the same storage ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version})")
            .AppendLine()
            .AppendLine("The same workflow run by three engines on Azurite (on disk), in one process: **ours** (signed `call.completed` posts to WebhookIngest over HTTP, half of them delivered twice; RouteEvent and 3 no-op steps under the WebJobs queue listeners with host.json's settings: batchSize 16, newBatchThreshold 8, maxPollingInterval 2 s), **DTFx** (`Microsoft.Azure.DurableTask.Core` 3.11.2 + `Microsoft.Azure.DurableTask.AzureStorage` 2.11.2, one `TaskHubWorker`: one orchestration per call calling 3 no-op activities, started with `TaskHubClient.CreateOrchestrationInstanceAsync`, each call delivered once; queue polling capped at the same 2 s) and the **floor** (per hop: the host's receive and delete, one table insert, one send to the next hop; half the calls delivered twice).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"DTFx settings: {tuning}. Set `SIMPLEAI_PEER_DTFX=default` for the provider's defaults (4 partitions, 10 concurrent activities, no extended sessions).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Every round runs the engines one after the other (ours, DTFx, floor), each on a fresh emulator, after an untimed warm-up batch on it; {rounds} round(s). Wall: first send started → the last call's last step done (median over rounds; every round listed). Latency: a call accepted (ours: its first 202; DTFx: `CreateOrchestrationInstanceAsync` returned; floor: its send returned) → its last step done, over every timed call of every round. Requests per call: every storage request on the wire (blobs, queues, tables: the engine's own polling, receives, deletes, leases included) from the first send until {CountSettle.TotalSeconds:F0} s after the last step, counted by a pass-through in front of the emulator in a separate untimed batch on its own fresh emulator, divided by the calls.")
            .AppendLine();
        var targets = new List<TargetRow>();
        foreach (var result in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {result.Calls:N0} calls")
                .AppendLine()
                .AppendLine("| engine | wall (median) | calls/s | latency p50 | latency p99 | requests per call | rounds |")
                .AppendLine("|---|---:|---:|---:|---:|---:|---|");
            foreach (var runs in result.Runs.Values)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {runs.Engine.Description} | {runs.MedianSeconds:F2} s | {result.Calls / runs.MedianSeconds:F0} | {runs.Percentile(0.50):F2} s | {runs.Percentile(0.99):F2} s | {runs.RequestsPerCall(result.Calls):F1} | {string.Join(", ", runs.Batches.Select(b => b.Seconds.ToString("F2", CultureInfo.InvariantCulture)))} s |");
            }

            text.AppendLine();
            foreach (var runs in result.Runs.Values)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"Requests of {runs.Engine.Key}, largest first: {string.Join(", ", runs.Requests.Where(r => r.Value > 0).OrderByDescending(r => r.Value).Select(r => $"`{r.Key}` {r.Value}"))}.")
                    .AppendLine();
            }

            var ours = result.Runs["ours"];
            var peer = result.Runs["DTFx"];
            var floor = result.Runs["floor"];
            var wallTarget = result.Calls >= 1000 ? 0.15 : 0.25;
            var wallRatio = ours.MedianSeconds / peer.MedianSeconds;
            targets.Add(new TargetRow(
                $"workflow, {result.Calls:N0} calls: wall time, ours vs Durable Task Framework ({tuning.Name}) on the same Azurite (floor column: DTFx)",
                $"{peer.MedianSeconds:F1} s", $"{ours.MedianSeconds:F1} s", wallRatio, $"≤ {wallTarget:F2}", wallRatio <= wallTarget, "—", "PeerBenchmark.md"));
            var requestRatio = ours.RequestsPerCall(result.Calls) / floor.RequestsPerCall(result.Calls);
            targets.Add(new TargetRow(
                $"workflow, {result.Calls:N0} calls, half delivered twice: storage requests per call, ours vs the bare floor (DTFx: {peer.RequestsPerCall(result.Calls):F1})",
                $"{floor.RequestsPerCall(result.Calls):F1}", $"{ours.RequestsPerCall(result.Calls):F1}", requestRatio, "≤ 1.2", requestRatio <= 1.2, "—", "PeerBenchmark.md"));
        }

        return new LoopResult("PeerBenchmark.md", text.ToString(), targets);
    }
}
