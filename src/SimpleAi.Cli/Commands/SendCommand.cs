using System.CommandLine;
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
            var summary = await SendLoop.RunAsync(plan, time, asJson ? null : console.RichError(), cancellationToken);
            console.Out.WriteLine(asJson ? CliJson.SerializeLine(summary.ToJson()) : summary.ToText());
            return summary.Failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static int Positive(int value, string option) => value >= 1 ? value : throw new UsageException($"{option} must be at least 1");
}
