using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Testing;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Benchmarks;

/// <summary>
/// A measured loop: the pre-call journey with three HTTP sources (real Kestrel servers on loopback), each answering
/// after <see cref="SourceDelay"/>, plus the contacts row and two rules, on Azurite. Asked in parallel, the journey
/// should take about the slowest source, not the sum: the target is p99 under 1.5× the slowest source's own p99.
/// </summary>
public static class PreCallSourcesLatency
{
    private static readonly TimeSpan SourceDelay = TimeSpan.FromMilliseconds(200);
    private static readonly int Samples = int.TryParse(Environment.GetEnvironmentVariable("PRECALL_SOURCES_SAMPLES"), out var n) ? n : 300;
    private const string Caller = "+15551234567";
    private static readonly string[] Names = ["crm", "tickets", "orders"];

    public static async Task<LoopResult> RunAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var servers = new List<FakeHttpServer>();
        try
        {
            var settings = TestApp.Settings(azurite.ConnectionString);
            foreach (var (name, i) in Names.Select((name, i) => (name, i)))
            {
                var server = await FakeHttpServer.StartAsync();
                server.Default("/" + name, FakeResponse.Json($$"""{"plan":"enterprise","ltv":{{12000 + i}},"open":{{i}}}""") with { Delay = SourceDelay });
                servers.Add(server);
                settings[$"PreCall:Sources:{i}:Name"] = name;
                settings[$"PreCall:Sources:{i}:Url"] = server.Url(name).ToString();
                settings[$"PreCall:Sources:{i}:Secret"] = TestSigning.OtherSecret;
                settings[$"PreCall:Sources:{i}:TimeoutMilliseconds"] = "1000";
            }

            settings["PreCall:Rules:0:Parameter"] = "priority";
            settings["PreCall:Rules:0:Value"] = "high";
            settings["PreCall:Rules:0:When:0:Field"] = "crm:ltv";
            settings["PreCall:Rules:0:When:0:Op"] = "gt";
            settings["PreCall:Rules:0:When:0:Value"] = "10000";
            settings["PreCall:Rules:1:Parameter"] = "route";
            settings["PreCall:Rules:1:Value"] = "night";
            settings["PreCall:Rules:1:When:0:Field"] = "local_hour";
            settings["PreCall:Rules:1:When:0:Op"] = "gt";
            settings["PreCall:Rules:1:When:0:Value"] = "18";
            using var app = TestApp.Build(settings);
            await app.GetRequiredService<ContactStore>().UpsertAsync(Caller, new Dictionary<string, string> { ["customer_name"] = "Dana Ortiz" }, CancellationToken.None);
            var service = app.GetRequiredService<PreCallService>();

            for (var i = 0; i < 20; i++)
            {
                await AskAsync(service);
            }

            List<double> journey = [], slowest = [], sum = [];
            for (var i = 0; i < Samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var report = (await AskAsync(service)).Report!;
                journey.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var http = report.Sources.Where(s => s.Source != SourceOutcome.ContactSource).ToList();
                if (http.Any(s => s.Outcome != SourceOutcome.Answered))
                {
                    throw new InvalidOperationException($"a source did not answer: {string.Join(", ", http.Select(s => $"{s.Source} {s.Outcome}"))}");
                }

                slowest.Add(http.Max(s => s.Milliseconds));
                sum.Add(http.Sum(s => s.Milliseconds));
            }

            await app.GetRequiredService<PreCallRecordStore>().FlushAsync();
            var ratio = Percentile(journey, 0.99) / Percentile(slowest, 0.99);
            var page = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"# Pre-call journey with three sources ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version})")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Three HTTP sources (Kestrel on loopback, each answering after {SourceDelay.TotalMilliseconds:0} ms), the contacts row on Azurite and two rules; {Samples:N0} sequential journeys through `PreCallService.HandleAsync` after 20 warm-up rounds. Each request is signed; each answer is recorded in `precalls` in the background. \"Slowest source\" is the slowest of the three as the journey timed it (request to parsed answer); \"sum\" is what asking them one after another would cost.")
                .AppendLine()
                .AppendLine("| | median ms | p99 ms | max ms |")
                .AppendLine("|---|---:|---:|---:|")
                .AppendLine(Row("journey (HandleAsync)", journey))
                .AppendLine(Row("slowest source", slowest))
                .AppendLine(Row("sum of the three sources", sum))
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Journey p99 / slowest source p99 = {ratio:F2} (target < 1.5); journey p99 / the sources' {SourceDelay.TotalMilliseconds:0} ms = {Percentile(journey, 0.99) / SourceDelay.TotalMilliseconds:F2}.")
                .ToString();
            return new LoopResult("PreCallSourcesLatency.md", page,
            [
                new TargetRow(
                    $"pre-call journey, three sources of {SourceDelay.TotalMilliseconds:0} ms at once, vs the slowest source (p99 of {Samples:N0})",
                    BenchmarkResults.Time(Percentile(slowest, 0.99) * 1e6),
                    BenchmarkResults.Time(Percentile(journey, 0.99) * 1e6),
                    ratio,
                    "< 1.5",
                    ratio < 1.5,
                    "—",
                    "PreCallSourcesLatency.md"),
            ]);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }

            await azurite.DisposeAsync();
        }
    }

    private static async Task<PreCallResult> AskAsync(PreCallService service)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { call = new { from_number = Caller, to_number = "+15557654321", direction = "inbound" }, agent = new { id = "a", name = "Support" } });
        var result = await service.HandleAsync(
            new PreCallRequest("POST", "application/json", body.Length, new MemoryStream(body), "Bearer " + TestApp.PreCallToken, Explain: true), CancellationToken.None);
        return result.StatusCode == 200 ? result : throw new InvalidOperationException($"pre-call answered {result.StatusCode}");
    }

    private static string Row(string name, List<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {Percentile(values, 0.5):F1} | {Percentile(values, 0.99):F1} | {values.Max():F1} |");

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
