using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Reports;

namespace SimpleAi.Benchmarks;

/// <summary>One number held against its target, as a ratio to the floor it was measured against.</summary>
public sealed record TargetRow(string What, double Ratio, string Target, bool? Met, string Report);

/// <summary>What a measured loop produced: its page under docs/benchmarks/ and the rows it adds to the summary.</summary>
public sealed record LoopResult(string Page, string Markdown, IReadOnlyList<TargetRow> Targets);

/// <summary>
/// Writes docs/benchmarks/README.md: every ratio against its target, from the BenchmarkDotNet summaries and the
/// measured loops of one run of <c>-- all</c>, with the machine it ran on.
/// </summary>
public static class BenchmarkResults
{
    public static IEnumerable<TargetRow> FromBenchmarkDotNet(IEnumerable<Summary> summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();
        double Mean(string type, string method, string? body = null) => reports.Single(r =>
            r.BenchmarkCase.Descriptor.Type.Name == type && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
            && (body is null || Equals(r.BenchmarkCase.Parameters["Body"], body))).ResultStatistics!.Mean;
        double P95(string type, string method) => reports.Single(r =>
            r.BenchmarkCase.Descriptor.Type.Name == type && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Percentiles.P95;

        var rows = new List<TargetRow>();
        void Add(string what, double ratio, string target, Func<double, bool>? met, string report) => rows.Add(new TargetRow(what, ratio, target, met?.Invoke(ratio), report));
        if (reports.Any(r => r.BenchmarkCase.Descriptor.Type.Name == nameof(VerificationBenchmarks)))
        {
            const string type = nameof(VerificationBenchmarks);
            foreach (var body in new[] { "fixture", "64KiB" })
            {
                Add($"signature verification, {body} body: ours / HMAC floor", Mean(type, "Ours", body) / Mean(type, "Floor", body), "≤ 1.5", r => r <= 1.5, "VerificationBenchmarks.md");
                Add(
                    $"signature verification, {body} body: StandardWebhooks package / ours (speed-up)",
                    Mean(type, "Package", body) / Mean(type, "Ours", body),
                    body == "fixture" ? "≥ 2" : "none (hashing dominates)",
                    body == "fixture" ? r => r >= 2 : null,
                    "VerificationBenchmarks.md");
            }
        }

        if (reports.Any(r => r.BenchmarkCase.Descriptor.Type.Name == nameof(EnvelopeBenchmarks)))
        {
            Add("envelope parsing: ours / bare Utf8JsonReader pass", Mean(nameof(EnvelopeBenchmarks), "Ours") / Mean(nameof(EnvelopeBenchmarks), "Floor"), "none set", null, "EnvelopeBenchmarks.md");
        }

        if (reports.Any(r => r.BenchmarkCase.Descriptor.Type.Name == nameof(IngestBenchmarks)))
        {
            Add("ingest function → 202 / one bare queue send (mean)", Mean(nameof(IngestBenchmarks), "Ingest") / Mean(nameof(IngestBenchmarks), "Floor"), "≤ 1.3", r => r <= 1.3, "IngestBenchmarks.md");
        }

        if (reports.Any(r => r.BenchmarkCase.Descriptor.Type.Name == nameof(StepBenchmarks)))
        {
            Add("one workflow step / its bare read + write + send (mean)", Mean(nameof(StepBenchmarks), "Step") / Mean(nameof(StepBenchmarks), "Floor"), "≤ 1.3", r => r <= 1.3, "StepBenchmarks.md");
        }

        if (reports.Any(r => r.BenchmarkCase.Descriptor.Type.Name == nameof(PreCallBenchmarks)))
        {
            Add("pre-call lookup / bare contact read, 1,000 contacts (p95)", P95(nameof(PreCallBenchmarks), "Lookup") / P95(nameof(PreCallBenchmarks), "Floor"), "≤ 2 (p99)", r => r <= 2, "PreCallBenchmarks.md");
        }

        return rows;
    }

    public static string Page(IEnumerable<TargetRow> rows, IEnumerable<string> pages)
    {
        var text = new StringBuilder()
            .AppendLine("# Benchmark results")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `dotnet run -c Release --project tests/SimpleAi.Benchmarks -- all` on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}. Storage is Azurite (in memory) on the same machine, so storage round trips are far shorter than Azure's and every ratio to a storage floor here is a worst case for the app's own overhead.")
            .AppendLine()
            .AppendLine("| measured | ratio | target | met | report |")
            .AppendLine("|---|---:|---|---|---|");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.What} | {row.Ratio:F2} | {row.Target} | {row.Met switch { true => "yes", false => "**no**", null => "—" }} | [{row.Report}]({row.Report}) |");
        }

        text.AppendLine().AppendLine("Every report: " + string.Join(", ", pages.Order(StringComparer.Ordinal).Select(p => $"[{p}]({p})")) + ".");
        return text.ToString();
    }
}
