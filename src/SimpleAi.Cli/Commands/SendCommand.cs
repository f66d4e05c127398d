using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SimpleAi.Webhooks.Outbound;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>send &lt;event-type&gt; --url --secret</c>: posts Simple AI-shaped, signed events (or a given body) and prints a
/// summary: status counts, latency median/p95/p99/max, throughput. The smoke test after a deployment and the load
/// generator of the benchmarks.
/// </summary>
internal static class SendCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var eventType = new Argument<string>("event-type") { Description = "call.completed, call.started, call.transcript_update, or any type." };
        var url = new Option<string>("--url") { Description = "The webhook endpoint, e.g. http://localhost:7071/api/webhooks/simple-ai.", Required = true };
        var secret = new Option<string>("--secret") { Description = "The signing secret (whsec_...).", Required = true };
        var callId = new Option<Guid?>("--call-id") { Description = "Use this call id (default: a new one per event)." };
        var body = new Option<string?>("--body") { Description = "Send this body file as it is instead of generated ones." };
        var count = new Option<int>("--count") { Description = "How many deliveries.", DefaultValueFactory = _ => 1 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight at once.", DefaultValueFactory = _ => 4 };
        var rate = new Option<double>("--rate") { Description = "At most this many requests per second (0: as fast as possible).", DefaultValueFactory = _ => 0 };
        var duplicates = new Option<double>("--duplicate-ratio") { Description = "Share of deliveries that repeat an earlier event (same event id and webhook-id), 0..1." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each answer.", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("send", """
            Send signed Simple AI events to an endpoint and summarise the answers.
            Example: simpleai-webhooks send call.completed --url http://localhost:7071/api/webhooks/simple-ai --secret whsec_... --count 1000 --concurrency 32 --duplicate-ratio 0.2
            """)
        {
            eventType, url, secret, callId, body, count, concurrency, rate, duplicates, timeout, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var plan = new SendPlan(
                parse.GetValue(eventType)!,
                Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var target) && target.Scheme is "http" or "https"
                    ? target
                    : throw new UsageException($"--url '{parse.GetValue(url)}' is not an absolute http(s) URL"),
                CliSecrets.Parse(parse.GetValue(secret)!, "--secret"),
                parse.GetValue(callId),
                parse.GetValue(body) is { } file ? BodySource.Read(file, console) : null,
                Positive(parse.GetValue(count), "--count"),
                Positive(parse.GetValue(concurrency), "--concurrency"),
                parse.GetValue(rate) >= 0 ? parse.GetValue(rate) : throw new UsageException("--rate must not be negative"),
                parse.GetValue(duplicates) is >= 0 and <= 1 ? parse.GetValue(duplicates) : throw new UsageException("--duplicate-ratio must be between 0 and 1"),
                parse.GetValue(timeout) > 0 ? TimeSpan.FromSeconds(parse.GetValue(timeout)) : throw new UsageException("--timeout must be positive"));
            var asJson = parse.GetValue(json);
            var summary = await RunAsync(plan, time, asJson ? null : console.Error, cancellationToken);
            console.Out.WriteLine(asJson ? JsonSerializer.Serialize(summary.ToJson(), OutboundJson.SerializerOptions) : summary.ToText());
            return summary.Failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static int Positive(int value, string option) => value >= 1 ? value : throw new UsageException($"{option} must be at least 1");

    internal static async Task<SendSummary> RunAsync(SendPlan plan, TimeProvider time, TextWriter? progress, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = plan.Timeout };
        var deliveries = plan.Deliveries();
        var results = new SendResult[deliveries.Count];
        var done = 0;
        using var gate = new SemaphoreSlim(plan.Concurrency);
        var clock = Stopwatch.StartNew();
        var tasks = deliveries.Select(async (delivery, index) =>
        {
            if (plan.Rate > 0)
            {
                var due = TimeSpan.FromSeconds(index / plan.Rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }
            }

            await gate.WaitAsync(cancellationToken);
            try
            {
                results[index] = await PostAsync(http, plan, delivery, time, cancellationToken);
            }
            finally
            {
                gate.Release();
                var finished = Interlocked.Increment(ref done);
                if (progress is not null && deliveries.Count > 1 && (finished % Math.Max(1, deliveries.Count / 50) == 0 || finished == deliveries.Count))
                {
                    lock (progress)
                    {
                        var bar = new string('#', finished * 30 / deliveries.Count).PadRight(30);
                        progress.Write($"\r[{bar}] {finished}/{deliveries.Count}");
                        if (finished == deliveries.Count)
                        {
                            progress.WriteLine();
                        }
                    }
                }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        return SendSummary.Of(results, clock.Elapsed);
    }

    private static async Task<SendResult> PostAsync(HttpClient http, SendPlan plan, Delivery delivery, TimeProvider time, CancellationToken cancellationToken)
    {
        var headers = StandardWebhookSigner.Sign(plan.Secret, delivery.WebhookId, time.GetUtcNow().ToUnixTimeSeconds(), delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, plan.Url)
        {
            Content = new ByteArrayContent(delivery.Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(WebhookHeaders.IdName, headers.Id);
        request.Headers.Add(WebhookHeaders.TimestampName, headers.Timestamp);
        request.Headers.Add(WebhookHeaders.SignatureName, headers.Signature);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var failure = response.IsSuccessStatusCode ? null : await SendFailure.OfAnswerAsync(response, cancellationToken);
            return new SendResult((int)response.StatusCode, milliseconds, failure);
        }
        catch (HttpRequestException e)
        {
            return new SendResult(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, SendFailure.OfTransport(e, plan.Timeout, plan.Url.Host));
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, SendFailure.OfTransport(e, plan.Timeout, plan.Url.Host));
        }
    }
}

internal sealed record Delivery(string WebhookId, byte[] Body);

/// <summary>One delivery's answer: its status (0 when none came), latency, and why it failed if it did.</summary>
internal sealed record SendResult(int Status, double Milliseconds, SendFailure? Failure);

internal sealed record SendPlan(
    string EventType, Uri Url, WebhookSecret Secret, Guid? CallId, byte[]? Body, int Count, int Concurrency, double Rate, double DuplicateRatio, TimeSpan Timeout)
{
    /// <summary>
    /// The deliveries in order: every <c>1/ratio</c>-th one repeats the one before it (same body, same webhook-id),
    /// so exactly <c>round(count x ratio)</c> are duplicates.
    /// </summary>
    public List<Delivery> Deliveries()
    {
        var duplicates = (int)Math.Round(Count * DuplicateRatio);
        var list = new List<Delivery>(Count);
        for (var i = 0; i < Count; i++)
        {
            var repeat = list.Count > 0 && duplicates > 0 && (long)i * duplicates / Count != (long)(i + 1) * duplicates / Count;
            list.Add(repeat ? list[^1] : New());
        }

        return list;
    }

    private Delivery New()
    {
        var body = Body ?? Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            event_type = EventType,
            event_id = "evt_" + Guid.NewGuid().ToString("N"),
            payload = new { call_id = (CallId ?? Guid.NewGuid()).ToString("D"), attempt = 1 },
        }));
        return new Delivery(StandardWebhookSigner.NewMessageId(), body);
    }
}

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
