using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Benchmarks;

/// <summary>
/// The console on the local host (Azurite, the real queue listeners at host.json's polling, the HTTP functions on
/// Kestrel): the first page of Calls with 10,000 calls in the last 24 hours, and how long a transcript line takes from
/// the update's 202 to an open call page in Chromium.
/// </summary>
public static class ConsoleLatency
{
    private static readonly HttpClient Http = new();

    private static int Calls => int.TryParse(Environment.GetEnvironmentVariable("SIMPLEAI_CONSOLE_CALLS"), out var n) ? n : 10_000;

    private static int Samples => int.TryParse(Environment.GetEnvironmentVariable("SIMPLEAI_CONSOLE_LINES"), out var n) ? n : 20;

    public static async Task<LoopResult> RunAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var api = await FakeHttpServer.StartAsync();
        try
        {
            // host.json's own queue settings (no FastQueues): polling an empty queue at most every 2 s.
            await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
                .WithSimpleAiApi(api.Url("api/v1"))
                .WithTranscriptCoalescing(TimeSpan.FromSeconds(2))
                .WithQueues(queues =>
                {
                    queues.MaxPollingInterval = TimeSpan.FromSeconds(2);
                    queues.VisibilityTimeout = TimeSpan.FromSeconds(30);
                })
                .StartAsync();
            var seeding = Stopwatch.StartNew();
            var failed = await SeedAsync(harness, Calls);
            seeding.Stop();
            Console.Error.WriteLine($"seeded {Calls} calls in {seeding.Elapsed.TotalSeconds:F0} s");

            var console = new Uri(harness.Host.BaseAddress!, "api/console/");
            var first = await TimeAsync(new Uri(console, "api/calls"), 200);
            var failedPage = await TimeAsync(new Uri(console, "api/calls?filter=failed"), 50);
            var number = await TimeAsync(new Uri(console, "api/calls?q=%2B15550000042"), 50);
            var page = await TimeAsync(console, 100);
            var (toScreen, fetchToScreen) = await TranscriptLagAsync(harness, api, console, Samples);

            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"# Console latency ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores)")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"{Calls:N0} calls in the last 24 hours ({failed:N0} of them failed runs), written by the app's own writers: `CallIndex.ReadAsync` (what `fetch-call` and the first transcript fetch write) and `RunStore.TryCreateAsync`; seeding took {seeding.Elapsed.TotalSeconds:F0} s. Requests over HTTP to the local host, one at a time after 5 warm-up requests.")
                .AppendLine()
                .AppendLine("| request | n | p50 ms | p95 ms | max ms |")
                .AppendLine("|---|---:|---:|---:|---:|")
                .AppendLine(Row("first page of Calls (`GET api/console/api/calls`, 50 rows, each joined with its run)", first))
                .AppendLine(Row("first page of failed calls (`?filter=failed`)", failedPage))
                .AppendLine(Row("a caller number's calls in 24 h (`?q=+15550000042`)", number))
                .AppendLine(Row("the page itself (`GET api/console/`)", page))
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Transcript line on an open call page (Chromium), {toScreen.Count} updates at least 3 s apart (outside the 2 s coalescing window), host.json's queue polling (at most 2 s on an empty queue), the page polling every 500 ms:")
                .AppendLine()
                .AppendLine("| lag | n | p50 ms | p95 ms | max ms |")
                .AppendLine("|---|---:|---:|---:|---:|")
                .AppendLine(Row("update's 202 → line on screen", toScreen))
                .AppendLine(Row("API fetch began (line stored just after) → line on screen", fetchToScreen))
                .AppendLine()
                .AppendLine("What bounds the whole lag: the `events` queue's polling (≤ 2 s idle backoff), then the `transcript-fetch` queue's (≤ 2 s; a fetch is due at once when none began in the last window, else one window, 2 s, after the last), the API call and the store, then the page's poll (≤ 500 ms) and its render.");
            return new LoopResult("ConsoleLatency.md", text.ToString(), []);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static string Row(string what, List<double> ms) =>
        string.Create(CultureInfo.InvariantCulture, $"| {what} | {ms.Count} | {Percentile(ms, 0.5):F1} | {Percentile(ms, 0.95):F1} | {ms.Max():F1} |");

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Calls spread over the last 24 hours, every 10th a failed run, every 5th still live; 16 writers at once.</summary>
    private static async Task<int> SeedAsync(WorkflowHarness harness, int count)
    {
        var index = harness.App.GetRequiredService<CallIndex>();
        var runs = harness.App.GetRequiredService<RunStore>();
        var now = DateTimeOffset.UtcNow;
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            var callId = Guid.NewGuid().ToString("D");
            var started = now.AddSeconds(-(86_000.0 * i / count) - 30);
            var live = i % 5 == 4;
            var call = new SimpleAiCall
            {
                Status = live ? "in_progress" : "completed",
                Direction = "inbound",
                FromNumber = "+1555" + (i % 10_000).ToString("D7", CultureInfo.InvariantCulture),
                ToNumber = "+15557654321",
                StartedAt = new ApiTimestamp(started.ToString("O", CultureInfo.InvariantCulture), started),
                EndedAt = live ? null : new ApiTimestamp(started.AddMinutes(3).ToString("O", CultureInfo.InvariantCulture), started.AddMinutes(3)),
            };
            await index.ReadAsync(callId, call, token);
            if (!live)
            {
                var isFailed = i % 10 == 3;
                if (isFailed)
                {
                    Interlocked.Increment(ref failed);
                }

                await runs.TryCreateAsync(new WorkflowRun
                {
                    RunId = callId,
                    CallId = callId,
                    EventId = "evt_" + Guid.NewGuid().ToString("N"),
                    Status = isFailed ? RunStatus.Failed : RunStatus.Completed,
                    CreatedAt = started.AddMinutes(3),
                    Steps =
                    {
                        ["fetch-call"] = new StepState(StepStatus.Completed, Attempts: 1, StartedAt: started.AddMinutes(3)),
                        ["crm-sync"] = isFailed
                            ? new StepState(StepStatus.Failed, Attempts: 1, Error: "the crm-sync endpoint (crm.example) answered 400 Bad Request: no such contact")
                            : new StepState(StepStatus.Completed, Attempts: 1),
                    },
                }, token);
            }
        });
        return failed;
    }

    private static async Task<List<double>> TimeAsync(Uri url, int n)
    {
        for (var i = 0; i < 5; i++)
        {
            (await Http.GetAsync(url)).EnsureSuccessStatusCode();
        }

        var times = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await Http.GetAsync(url);
            _ = await response.Content.ReadAsByteArrayAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }

        return times;
    }

    /// <summary>A live call's page open in Chromium; each update adds a line: from its 202, and from the API fetch, to the line on screen.</summary>
    private static async Task<(List<double> ToScreen, List<double> FetchToScreen)> TranscriptLagAsync(WorkflowHarness harness, FakeHttpServer api, Uri console, int samples)
    {
        var callId = Guid.NewGuid().ToString("D");
        var path = $"/api/v1/calls/{callId}";
        var fixture = JsonNode.Parse(RepoPaths.FixtureBytes("get-call-completed.json"))!.AsObject();
        var line = fixture["transcripts"]![1]!.ToJsonString();
        void Serve(int lines)
        {
            var call = fixture.DeepClone().AsObject();
            call["ended_at"] = null;
            call["status"] = "in_progress";
            call["started_at"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
            var transcripts = new JsonArray();
            for (var i = 0; i < lines; i++)
            {
                transcripts.Add(JsonNode.Parse(line));
            }

            call["transcripts"] = transcripts;
            api.Default(path, FakeResponse.Json(Encoding.UTF8.GetBytes(call.ToJsonString())));
        }

        Serve(1);
        await PostAsync(harness, callId);
        await harness.RunUntilIdleAsync(60);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("SIMPLEAI_CHROMIUM") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{console}#/calls/{callId}");
        await page.WaitForSelectorAsync("ol.transcript li.line");
        var toScreen = new List<double>();
        var fetchToScreen = new List<double>();
        for (var n = 2; n < samples + 2; n++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            Serve(n);
            var fetchesBefore = api.To(path).Count;
            var accepted = await PostAsync(harness, callId);
            await page.WaitForFunctionAsync($"() => document.querySelectorAll('ol.transcript li.line').length >= {n}", null, new() { PollingInterval = 10, Timeout = 60_000 });
            var shown = DateTimeOffset.UtcNow;
            toScreen.Add((shown - accepted).TotalMilliseconds);
            var fetch = api.To(path).Skip(fetchesBefore).First();
            fetchToScreen.Add((shown - fetch.At).TotalMilliseconds);
        }

        return (toScreen, fetchToScreen);
    }

    private static async Task<DateTimeOffset> PostAsync(WorkflowHarness harness, string callId)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { event_type = "call.transcript_update", event_id = "evt_" + Guid.NewGuid().ToString("N"), payload = new { call_id = callId, attempt = 1 } });
        var response = await harness.PostAsync(body, "msg_" + Guid.NewGuid().ToString("N"));
        return response.Status == 202 ? DateTimeOffset.UtcNow : throw new InvalidOperationException($"update answered {response.Status}");
    }
}
