using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Benchmarks;

/// <summary>
/// A measured loop: bursts of 50 transcript updates in 1 s on one call, through WebhookIngest, RouteEvent and the
/// coalesced fetches (window 2 s), the Simple AI API played by a local server; counts the API fetches, and the
/// delay from the last update to the fetch that stores its lines.
/// </summary>
public static class TranscriptCoalescing
{
    private const int Bursts = 5;

    public static async Task<LoopResult> RunAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var api = await FakeHttpServer.StartAsync();
        try
        {
            var rows = new List<(int Fetches, double DelayMs, double BurstMs)>();
            for (var burst = 0; burst < Bursts; burst++)
            {
                rows.Add(await BurstAsync(azurite.ConnectionString, api));
            }

            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"# Transcript coalescing ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)")
                .AppendLine()
                .AppendLine("50 `call.transcript_update` deliveries spread over 1 s on one call, window 2 s, the WebJobs queue listeners polling an empty queue at most every 200 ms (tests' setting; host.json says 2 s). Delay = last update accepted → the API fetch that stores its lines began.")
                .AppendLine()
                .AppendLine("| burst | took ms | API fetches | delay ms |")
                .AppendLine("|---:|---:|---:|---:|");
            for (var i = 0; i < rows.Count; i++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {rows[i].BurstMs:F0} | {rows[i].Fetches} | {rows[i].DelayMs:F0} |");
            }

            return new LoopResult("TranscriptCoalescing.md", text.ToString(), []);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task<(int, double, double)> BurstAsync(string connection, FakeHttpServer api)
    {
        await using var harness = await WorkflowHarness.Create(connection)
            .WithSimpleAiApi(api.Url("api/v1"))
            .WithTranscriptCoalescing(TimeSpan.FromSeconds(2))
            .StartAsync();
        var callId = Guid.NewGuid().ToString("D");
        var path = $"/api/v1/calls/{callId}";
        api.Default(path, FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json")));
        var clock = Stopwatch.StartNew();
        var burstStart = DateTimeOffset.UtcNow;
        for (var i = 0; i < 50; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 20) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(new { event_type = "call.transcript_update", event_id = "evt_" + Guid.NewGuid().ToString("N"), payload = new { call_id = callId, attempt = 1 } });
            await harness.PostAsync(body, $"msg_{i}");
        }

        var burst = clock.Elapsed.TotalMilliseconds;
        var lastUpdate = DateTimeOffset.UtcNow;
        await harness.RunUntilIdleAsync(120);
        var fetches = api.To(path);
        Console.Error.WriteLine($"fetches at {string.Join(", ", fetches.Select(f => (f.At - burstStart).TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))} ms; last update at {(lastUpdate - burstStart).TotalMilliseconds:F0} ms");
        var lines = await harness.App.GetRequiredService<TranscriptStore>().ReadLinesAsync(callId, 0, CancellationToken.None);
        if (lines?.Count != 5)
        {
            throw new InvalidOperationException("The lines were not stored.");
        }

        return (fetches.Count, (fetches[^1].At - lastUpdate).TotalMilliseconds, burst);
    }
}
