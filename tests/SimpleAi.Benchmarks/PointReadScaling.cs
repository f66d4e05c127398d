using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using SimpleAi.Testing;
using SimpleAi.Webhooks.Connections;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Benchmarks;

/// <summary>
/// A measured loop: the cost of a point read as the table grows. One Azurite, one <c>contacts</c> table filled by
/// <see cref="ContactStore"/> (its real key shape) to 1,000, 10,000 and 100,000 rows (<c>POINT_READ_SIZES</c> to
/// change, comma-separated); at each size <see cref="ContactStore.FindAsync"/> reads random known numbers, one at a
/// time. With a selective RowKey the read is an index lookup and stays flat; with the old constant RowKey Azurite
/// scanned every row (about 5 ms at 20,000 rows).
/// </summary>
public static class PointReadScaling
{
    private const int Samples = 2_000;
    private const int LoadParallelism = 32;

    private static readonly int[] Sizes = (Environment.GetEnvironmentVariable("POINT_READ_SIZES") ?? "1000,10000,100000")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
        .Order()
        .ToArray();

    public static async Task<LoopResult> RunAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var tables = new TableServiceClient(azurite.ConnectionString, AzureConnections.TableOptions());
            await tables.CreateTableIfNotExistsAsync(TableNames.Contacts);
            var store = new ContactStore(tables);
            var measured = new List<(int Rows, double Load, List<double> Reads)>();
            var loaded = 0;
            foreach (var size in Sizes)
            {
                var clock = Stopwatch.StartNew();
                await LoadAsync(store, loaded, size);
                loaded = size;
                var load = clock.Elapsed.TotalSeconds;
                for (var i = 0; i < 1_000; i++)
                {
                    await store.FindAsync(Number(Random.Shared.Next(size)), CancellationToken.None);
                }

                var reads = new List<double>(Samples);
                for (var i = 0; i < Samples; i++)
                {
                    var number = Number(Random.Shared.Next(size));
                    var started = Stopwatch.GetTimestamp();
                    var found = await store.FindAsync(number, CancellationToken.None);
                    reads.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    _ = found ?? throw new InvalidOperationException($"contact {number} was loaded but not found");
                }

                measured.Add((size, load, reads));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size:N0} rows: median {Percentile(reads, 0.5):F3} ms, p99 {Percentile(reads, 0.99):F3} ms"));
            }

            return Result(measured);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static LoopResult Result(List<(int Rows, double Load, List<double> Reads)> measured)
    {
        var (first, last) = (measured[0], measured[^1]);
        var page = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Point-read time as the table grows ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, .NET {Environment.Version})")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"One Azurite (on disk, a temporary folder); the `contacts` table grown by `ContactStore.UpsertAsync` ({LoadParallelism} in flight) to each size; then {Samples:N0} sequential `ContactStore.FindAsync` reads of random known numbers after 1,000 warm-up reads. PartitionKey = RowKey = the number.")
            .AppendLine()
            .AppendLine("| rows | median ms | p99 ms | median / median at the first size | load to this size (s) |")
            .AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var (rows, load, reads) in measured)
        {
            page.AppendLine(CultureInfo.InvariantCulture, $"| {rows:N0} | {Percentile(reads, 0.5):F3} | {Percentile(reads, 0.99):F3} | {Percentile(reads, 0.5) / Percentile(first.Reads, 0.5):F2} | {load:F0} |");
        }

        var ratio = Percentile(last.Reads, 0.5) / Percentile(first.Reads, 0.5);
        return new LoopResult("PointReadScaling.md", page.ToString(),
        [
            new TargetRow(
                $"contact point read (median of {Samples:N0}) at {last.Rows:N0} rows vs {first.Rows:N0} rows",
                BenchmarkResults.Time(Percentile(first.Reads, 0.5) * 1e6),
                BenchmarkResults.Time(Percentile(last.Reads, 0.5) * 1e6),
                ratio, "≤ 1.5", ratio <= 1.5, "—", "PointReadScaling.md"),
        ]);
    }

    private static async Task LoadAsync(ContactStore store, int from, int to) =>
        await Parallel.ForEachAsync(
            Enumerable.Range(from, to - from),
            new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism },
            async (i, cancellationToken) => await store.UpsertAsync(
                Number(i),
                new Dictionary<string, string> { ["customer_name"] = $"Customer {i}", ["plan"] = i % 3 == 0 ? "pro" : "basic" },
                cancellationToken));

    private static string Number(int i) => "+1555" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
