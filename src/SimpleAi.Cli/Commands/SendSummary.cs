using System.Globalization;
using System.Text;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// What <c>send</c> prints: status counts, latency percentiles, throughput, and the failures grouped by cause (the
/// commonest <see cref="ShownFailureKinds"/> kinds with their counts; the rest as one count), so a thousand refused
/// connections are one line.
/// </summary>
internal sealed record SendSummary(
    int Sent,
    int Failed,
    IReadOnlyDictionary<string, int> Statuses,
    double Median,
    double P95,
    double P99,
    double Max,
    TimeSpan Elapsed,
    IReadOnlyList<(SendFailure Failure, int Count)> Failures,
    int OtherFailures)
{
    public const int ShownFailureKinds = 10;

    public double PerSecond => Sent / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public static SendSummary Of(SendResult[] results, TimeSpan elapsed)
    {
        var latencies = results.Select(r => r.Milliseconds).Order().ToArray();
        var statuses = results.GroupBy(r => r.Status == 0 ? "error" : r.Status.ToString(CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        // GroupBy keeps the order of first occurrence; OrderByDescending is stable, so ties stay in that order.
        var failures = results.Where(r => r.Failure is not null)
            .GroupBy(r => r.Failure!)
            .Select(g => (Failure: g.Key, Count: g.Count()))
            .OrderByDescending(f => f.Count)
            .ToList();
        return new SendSummary(
            results.Length,
            results.Count(r => r.Status is < 200 or > 299),
            statuses,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95),
            Percentile(latencies, 0.99),
            latencies.Length == 0 ? 0 : latencies[^1],
            elapsed,
            failures.Take(ShownFailureKinds).ToList(),
            failures.Skip(ShownFailureKinds).Sum(f => f.Count));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public string ToText()
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            sent {Sent} in {Elapsed.TotalSeconds:F2} s ({PerSecond:F1}/s); {string.Join(", ", Statuses.Select(s => $"{s.Key}: {s.Value}"))}
            latency ms: median {Median:F1}  p95 {P95:F1}  p99 {P99:F1}  max {Max:F1}
            """));
        if (Failed > 0)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"failed {Failed}:");
            foreach (var (failure, count) in Failures)
            {
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {count}x {failure.ToText()}");
            }

            if (OtherFailures > 0)
            {
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {OtherFailures}x other causes");
            }
        }

        return text.ToString();
    }

    public object ToJson() => new
    {
        sent = Sent,
        failed = Failed,
        statuses = Statuses,
        latency_ms = new { median = Median, p95 = P95, p99 = P99, max = Max },
        seconds = Elapsed.TotalSeconds,
        per_second = PerSecond,
        failures = Failures.Select(f => f.Failure.ToJson(f.Count)).ToList(),
        other_failures = OtherFailures,
    };
}

/// <summary>One delivery's answer: its status (0 when none came), latency, and why it failed if it did.</summary>
internal sealed record SendResult(int Status, double Milliseconds, SendFailure? Failure);
