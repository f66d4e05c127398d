using System.CommandLine;
using System.Text;
using System.Text.Json;
using SimpleAi.Cli.Local;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>listen</c>: a local receiver for the app's action deliveries (<see cref="LocalReceiver"/>) until Ctrl+C,
/// one line per delivery: time, step, idempotency key, try, signature, the status it answered.
/// </summary>
internal static class ListenCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var urls = LocalServerOptions.Urls(LocalReceiverOptions.DefaultUrl);
        var secret = new Option<string?>("--secret") { Description = "The signing secret (whsec_...) of every step without its own --step." };
        var steps = new Option<string[]>("--step")
        {
            HelpName = "step=whsec_...",
            Description = "A step's own secret as <step>=whsec_... (its Actions__<step>__Secret); repeat for each.",
            Arity = ArgumentArity.OneOrMore,
        };
        var status = new Option<int>("--status")
        {
            Description = "Answer validly signed deliveries with this status (e.g. 503 to make the app retry on its schedule, 400 to make it fail the step). Default 200.",
            DefaultValueFactory = _ => 200,
        };
        var tolerance = new Option<int>("--tolerance") { Description = "Allowed distance between webhook-timestamp and now, in seconds.", DefaultValueFactory = _ => 300 };
        var showBody = new Option<bool>("--show-body") { Description = "Print each delivery's body under its line." };
        var json = new Option<bool>("--json") { Description = "Print each delivery as one JSON line, its body included." };
        var command = new Command("listen", """
            Receive the app's action deliveries locally: verify each with its step's secret, print one line per delivery, answer --status (invalid signature: 401).
            The step is read from Idempotency-Key ({call_id}:{step}), else from the path's last segment.
            Point a step at it: Actions__crm_sync__Url=http://127.0.0.1:5090/crm-sync with Actions__crm_sync__Secret the same secret.
            Example: simpleai-webhooks listen --secret whsec_... --step notify=whsec_... --status 503
            """)
        {
            urls, secret, steps, status, tolerance, showBody, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var url = LocalServerOptions.ParseUrl(parse.GetValue(urls));
            var stepSecrets = ParseSteps(parse.GetValue(steps) ?? []);
            var defaultSecret = parse.GetValue(secret) is { } value ? CliSecrets.Parse(value, "--secret") : null;
            if (defaultSecret is null && stepSecrets.Count == 0)
            {
                throw new UsageException("give --secret whsec_... (every step) or --step <step>=whsec_... (one step)");
            }

            var answer = parse.GetValue(status) is >= 100 and <= 599 and var s ? s : throw new UsageException("--status must be an HTTP status (100 to 599)");
            var seconds = parse.GetValue(tolerance) >= 0 ? parse.GetValue(tolerance) : throw new UsageException("--tolerance must not be negative");
            var asJson = parse.GetValue(json);
            var withBody = parse.GetValue(showBody);
            var options = new LocalReceiverOptions
            {
                Url = url,
                Secret = defaultSecret,
                StepSecrets = stepSecrets,
                Status = answer,
                Tolerance = TimeSpan.FromSeconds(seconds),
                Time = time,
                OnDelivery = delivery => LocalServerOptions.WriteLine(console.Out, asJson ? JsonLine(delivery) : Line(delivery, time, withBody)),
            };
            await using var receiver = await LocalServerOptions.StartAsync(() => LocalReceiver.StartAsync(options, cancellationToken), url);
            var own = string.Join(", ", stepSecrets.Keys.Order(StringComparer.Ordinal));
            var secrets = (own.Length > 0, defaultSecret is not null) switch
            {
                (false, _) => "every step with --secret",
                (true, true) => $"{own} with their own --step secret, every other step with --secret",
                (true, false) => $"{own} with their own --step secret; other steps get 401",
            };
            LocalServerOptions.WriteLine(console.Error, $"Listening on {receiver.Url} (verifying {secrets}; answering {answer} when valid). Ctrl+C stops.");
            LocalServerOptions.WriteLine(console.Error, $"Point a step at it: Actions__<step>__Url={receiver.Url}<step> (the step name with - written _ in the setting, e.g. Actions__crm_sync__Url={receiver.Url}crm-sync).");
            return await LocalServerOptions.UntilCancelledAsync(cancellationToken);
        });
        return command;
    }

    private static Dictionary<string, WebhookSecret> ParseSteps(IEnumerable<string> values)
    {
        var steps = new Dictionary<string, WebhookSecret>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--step '{Masked(value)}' is not <step>=whsec_...");
            }

            var step = value[..equals].Trim();
            if (!steps.TryAdd(step, CliSecrets.Parse(value[(equals + 1)..], $"--step {step}")))
            {
                throw new UsageException($"--step {step} is given twice");
            }
        }

        return steps;
    }

    /// <summary>An argument with its secret part hidden, for an error message.</summary>
    private static string Masked(string value) => value.Contains(WebhookSecret.Prefix, StringComparison.Ordinal) ? value[..value.IndexOf(WebhookSecret.Prefix, StringComparison.Ordinal)] + "whsec_…" : "…";

    internal static string Line(ReceivedDelivery delivery, TimeProvider time, bool withBody)
    {
        var line = new StringBuilder()
            .Append(LocalServerOptions.Clock(delivery.At, time))
            .Append("  ").Append(delivery.Step ?? "(no step)")
            .Append("  ").Append(delivery.IdempotencyKey ?? "(no Idempotency-Key)");
        if (delivery.Try > 1)
        {
            line.Append("  try ").Append(delivery.Try);
        }

        line.Append(delivery.SignatureValid ? "  signature valid" : $"  signature INVALID: {delivery.Problem}")
            .Append("  → ").Append(delivery.Status);
        if (delivery.Method != "POST")
        {
            line.Append("  (").Append(delivery.Method).Append(' ').Append(delivery.Path).Append(')');
        }

        if (withBody)
        {
            line.AppendLine().Append("  ").Append(Encoding.UTF8.GetString(delivery.Body).TrimEnd());
        }

        return line.ToString();
    }

    internal static string JsonLine(ReceivedDelivery delivery)
    {
        object? body = null;
        try
        {
            if (delivery.Body.Length > 0)
            {
                using var document = JsonDocument.Parse(delivery.Body);
                body = document.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            body = Encoding.UTF8.GetString(delivery.Body);
        }

        return CliJson.SerializeLine(new
        {
            delivery.At,
            delivery.Method,
            delivery.Path,
            delivery.Step,
            delivery.IdempotencyKey,
            delivery.WebhookId,
            delivery.Try,
            Signature = delivery.SignatureValid ? "valid" : "invalid",
            delivery.Problem,
            delivery.Status,
            Body = body,
        });
    }
}
