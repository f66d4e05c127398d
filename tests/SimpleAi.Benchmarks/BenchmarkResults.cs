using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Reports;

namespace SimpleAi.Benchmarks;

/// <summary>One result held against its target, as a ratio to the floor it was measured against.</summary>
public sealed record TargetRow(string What, string Floor, string Ours, double Ratio, string Target, bool? Met, string Allocated, string Report);

/// <summary>What a measured loop produced: its page under docs/benchmarks/ and the rows it adds to the summary.</summary>
public sealed record LoopResult(string Page, string Markdown, IReadOnlyList<TargetRow> Targets);

/// <summary>
/// The table of every ratio against its target, from the BenchmarkDotNet summaries and the measured loops of one
/// run of <c>-- all</c>: written to docs/benchmarks/README.md and between the markers in docs/performance.md.
/// </summary>
public static class BenchmarkResults
{
    public const string ReadmeStart = "<!-- benchmarks:start (written by: dotnet run -c Release --project tests/SimpleAi.Benchmarks -- all) -->";
    public const string ReadmeEnd = "<!-- benchmarks:end -->";

    public static IEnumerable<TargetRow> FromBenchmarkDotNet(IEnumerable<Summary> summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();
        BenchmarkReport? Find(string type, string method, string? body = null) => reports.SingleOrDefault(r =>
            r.BenchmarkCase.Descriptor.Type.Name == type && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
            && (body is null || Equals(r.BenchmarkCase.Parameters["Body"], body)));

        IEnumerable<TargetRow> Compare(string what, string type, string floorMethod, string oursMethod, string target, Func<double, bool>? met, string? body = null, bool p95 = false)
        {
            if (Find(type, floorMethod, body) is not { } floor || Find(type, oursMethod, body) is not { } ours)
            {
                yield break;
            }

            double Stat(BenchmarkReport report) => p95 ? report.ResultStatistics!.Percentiles.P95 : report.ResultStatistics!.Mean;
            var ratio = Stat(ours) / Stat(floor);
            yield return new TargetRow(what, Time(Stat(floor)), Time(Stat(ours)), ratio, target, met?.Invoke(ratio), $"{Bytes(ours)} / {Bytes(floor)}", type + ".md");
        }

        return
        [
            .. Compare("signature verification, fixture body (150 B): ours vs `HMACSHA256.HashData`", nameof(VerificationBenchmarks), "Floor", "Ours", "≤ 1.5", r => r <= 1.5, "fixture"),
            .. Compare("… the StandardWebhooks package vs ours (ratio: how many times slower the package is)", nameof(VerificationBenchmarks), "Ours", "Package", "≥ 2", r => r >= 2, "fixture"),
            .. Compare("signature verification, 64 KiB body: ours vs `HMACSHA256.HashData`", nameof(VerificationBenchmarks), "Floor", "Ours", "≤ 1.5", r => r <= 1.5, "64KiB"),
            .. Compare("envelope parsing, fixture body: ours vs a bare `Utf8JsonReader` pass", nameof(EnvelopeBenchmarks), "Floor", "Ours", "none set", null),
            .. Compare("ingest function → 202 vs one bare queue send (mean)", nameof(IngestBenchmarks), "Floor", "Ingest", "≤ 1.3", r => r <= 1.3),
            .. Compare("one workflow step vs its bare read + conditional write + send (mean)", nameof(StepBenchmarks), "Floor", "Step", "≤ 1.3", r => r <= 1.3),
            .. Compare("pre-call lookup vs the bare contact read, 1,000 contacts (p95)", nameof(PreCallBenchmarks), "Floor", "Lookup", "p99 ≤ 2", r => r <= 2, p95: true),
        ];
    }

    public static string Table(IEnumerable<TargetRow> rows)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}; storage is Azurite (on disk, a temporary folder per instance) on the same machine, so its round trips are far shorter than Azure's and a ratio to a storage floor overstates the app's share.")
            .AppendLine()
            .AppendLine("| measured | floor | ours | ratio | target | met | allocated (ours / floor) | report |")
            .AppendLine("|---|---:|---:|---:|---|---|---:|---|");
        foreach (var row in rows)
        {
            var met = row.Met switch { true => "yes", false => "**no**", null => "—" };
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.What} | {row.Floor} | {row.Ours} | {row.Ratio:F2} | {row.Target} | {met} | {row.Allocated} | [{row.Report}](benchmarks/{row.Report}) |");
        }

        return text.ToString();
    }

    /// <summary>docs/benchmarks/README.md: the table (links relative to that folder) and every report.</summary>
    public static string Page(IEnumerable<TargetRow> rows, IEnumerable<string> pages) =>
        new StringBuilder()
            .AppendLine("# Benchmark results")
            .AppendLine()
            .AppendLine("Written by `dotnet run -c Release --project tests/SimpleAi.Benchmarks -- all`. Each ratio is ours over its floor, the bare operation the work cannot avoid.")
            .AppendLine()
            .Append(Table(rows).Replace("](benchmarks/", "](", StringComparison.Ordinal))
            .AppendLine()
            .AppendLine("Every report: " + string.Join(", ", pages.Order(StringComparer.Ordinal).Select(p => $"[{p}]({p})")) + ".")
            .ToString();

    /// <summary>docs/performance.md with the table between its markers replaced.</summary>
    public static string Readme(string readme, IEnumerable<TargetRow> rows)
    {
        ArgumentNullException.ThrowIfNull(readme);
        var start = readme.IndexOf(ReadmeStart, StringComparison.Ordinal);
        var end = readme.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"docs/performance.md has lost its benchmark markers: {ReadmeStart} … {ReadmeEnd}");
        }

        return string.Concat(readme.AsSpan(0, start + ReadmeStart.Length), Environment.NewLine, Table(rows), readme.AsSpan(end));
    }

    public static string Time(double nanoseconds) => nanoseconds switch
    {
        < 10_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds:N0} ns"),
        < 10_000_000 => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000:N0} µs"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000:N1} ms"),
    };

    private static string Bytes(BenchmarkReport report) =>
        report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) is long bytes
            ? bytes < 10_240 ? string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B") : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N1} KB")
            : "?";
}
