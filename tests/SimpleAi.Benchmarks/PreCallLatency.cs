using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Testing;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Benchmarks;

/// <summary>
/// A measured loop: the pre-call lookup's handler (bearer check, body parse, E.164, table read, JSON answer) on
/// Azurite holding 10,000 contacts (<c>PRECALL_CONTACTS</c> to change), for hits and misses, against the floor of the bare table point read.
/// </summary>
public static class PreCallLatency
{
    private static readonly int Contacts = int.TryParse(Environment.GetEnvironmentVariable("PRECALL_CONTACTS"), out var n) ? n : 10_000;
    private const int Samples = 2_000;

    /// <summary>
    /// <c>PRECALL_SETTLE_RECORDS=1</c>: wait (untimed) for each answer's record to be written before the next sample, so
    /// the background write of one sample does not share the single-threaded emulator with the next one's read.
    /// </summary>
    private static readonly bool SettleRecords = Environment.GetEnvironmentVariable("PRECALL_SETTLE_RECORDS") == "1";

    public static async Task<LoopResult> RunAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            using var app = TestApp.Build(TestApp.Settings(azurite.ConnectionString));
            var store = app.GetRequiredService<ContactStore>();
            var clock = Stopwatch.StartNew();
            await LoadAsync(store);
            var load = clock.Elapsed;
            var service = app.GetRequiredService<PreCallService>();
            var records = app.GetRequiredService<PreCallRecordStore>();
            var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableNames.Contacts);

            // Warm-up, then interleave so drift hits all four alike.
            for (var i = 0; i < 200; i++)
            {
                await HandleAsync(service, Number(i));
                await table.GetEntityIfExistsAsync<TableEntity>(Number(i), ContactStore.RowKeyOf(Number(i)));
            }

            List<double> hit = [], miss = [], floorHit = [], floorMiss = [];
            for (var i = 0; i < Samples; i++)
            {
                var known = Number(Random.Shared.Next(Contacts));
                var unknown = "+1444" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
                hit.Add(await TimeAsync(() => HandleAsync(service, known)));
                await Settle(records);
                miss.Add(await TimeAsync(() => HandleAsync(service, unknown)));
                await Settle(records);
                floorHit.Add(await TimeAsync(() => table.GetEntityIfExistsAsync<TableEntity>(known, ContactStore.RowKeyOf(known))));
                floorMiss.Add(await TimeAsync(() => table.GetEntityIfExistsAsync<TableEntity>(unknown, ContactStore.RowKeyOf(unknown))));
            }

            var page = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"# Pre-call lookup latency ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version})")
                .AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"Azurite with {Contacts:N0} contacts (loaded in {load.TotalSeconds:F0} s); {Samples:N0} sequential samples each, interleaved, after 200 warm-up rounds. Handler = `PreCallService.HandleAsync` in process (token check, body parse, E.164, table read, answer; the answer's record is written in the background{(SettleRecords ? " and awaited, untimed, before the next sample" : ", overlapping the next sample")}); floor = the bare `GetEntityIfExists` point read.")
                .AppendLine()
                .AppendLine("| | median ms | p99 ms | p99 / floor p99 |")
                .AppendLine("|---|---:|---:|---:|")
                .AppendLine(Row("handler, hit", hit, floorHit))
                .AppendLine(Row("handler, miss", miss, floorMiss))
                .AppendLine(Row("floor: table read, hit", floorHit, floorHit))
                .AppendLine(Row("floor: table read, miss", floorMiss, floorMiss))
                .ToString();
            return new LoopResult("PreCallLatency.md", page,
            [
                Target($"pre-call lookup vs the bare contact read, known caller, {Contacts:N0} contacts (p99 of {Samples:N0})", hit, floorHit),
                Target($"pre-call lookup vs the bare contact read, unknown caller, {Contacts:N0} contacts (p99 of {Samples:N0})", miss, floorMiss),
            ]);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static Task Settle(PreCallRecordStore records) => SettleRecords ? records.FlushAsync() : Task.CompletedTask;

    private static string Number(int i) => "+1555" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture);

    private static async Task LoadAsync(ContactStore store)
    {
        var pending = new List<Task>();
        for (var i = 0; i < Contacts; i++)
        {
            pending.Add(store.UpsertAsync(Number(i), new Dictionary<string, string>
            {
                ["customer_name"] = $"Customer {i}",
                ["plan"] = i % 3 == 0 ? "pro" : "basic",
                ["crm_contact_id"] = $"C-{i}",
            }, CancellationToken.None));
            if (pending.Count == 64)
            {
                await Task.WhenAll(pending);
                pending.Clear();
            }
        }

        await Task.WhenAll(pending);
    }

    private static async Task<PreCallResult> HandleAsync(PreCallService service, string number)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { call = new { from_number = number, to_number = "+15557654321", direction = "inbound" }, agent = new { id = "a" } });
        var result = await service.HandleAsync(
            new PreCallRequest("POST", "application/json", body.Length, new MemoryStream(body), "Bearer " + TestApp.PreCallToken), CancellationToken.None);
        return result.StatusCode == 200 ? result : throw new InvalidOperationException($"pre-call answered {result.StatusCode}");
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static string Row(string name, List<double> values, List<double> floor) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {Percentile(values, 0.5):F2} | {Percentile(values, 0.99):F2} | {Percentile(values, 0.99) / Percentile(floor, 0.99):F2} |");

    private static TargetRow Target(string what, List<double> values, List<double> floor)
    {
        var (ours, bare) = (Percentile(values, 0.99), Percentile(floor, 0.99));
        return new TargetRow(what, BenchmarkResults.Time(bare * 1e6), BenchmarkResults.Time(ours * 1e6), ours / bare, "≤ 2", ours / bare <= 2, "—", "PreCallLatency.md");
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
