using System.CommandLine;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>verify</c>: checks a body and its headers against one or more secrets, as the app would. Prints
/// <c>valid</c> (exit 0) or <c>invalid: &lt;reason&gt;</c> on standard error (exit 1).
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var secrets = new Option<string[]>("--secret")
        {
            Description = "A signing secret (whsec_...); repeat for several.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var body = new Option<string>("--body") { Description = "The body file, or - for standard input.", Required = true };
        var headers = new Option<string[]>("--header")
        {
            Description = "A request header as \"name: value\"; repeat for each (webhook-* or svix-*).",
            Arity = ArgumentArity.OneOrMore,
        };
        var tolerance = new Option<int>("--tolerance")
        {
            Description = "Allowed distance between webhook-timestamp and now, in seconds.",
            DefaultValueFactory = _ => 300,
        };
        var now = new Option<long?>("--now") { Description = "Verify as if now were this Unix time (to check a captured delivery)." };
        var command = new Command("verify", """
            Verify a delivery's signature the way the app does.
            Example: simpleai-webhooks verify --secret whsec_... --body event.json --header "webhook-id: msg_1" --header "webhook-timestamp: 1776004200" --header "webhook-signature: v1,..."
            """)
        {
            secrets, body, headers, tolerance, now,
        };
        command.SetAction(parse =>
        {
            var keys = (parse.GetValue(secrets) ?? []).Select((s, i) => CliSecrets.Parse(s, $"--secret #{i + 1}")).ToList();
            if (parse.GetValue(tolerance) < 0)
            {
                throw new UsageException("--tolerance must not be negative");
            }

            var headerValues = ParseHeaders(parse.GetValue(headers) ?? []);
            var bytes = BodySource.Read(parse.GetValue(body)!, console);
            var clock = parse.GetValue(now) is { } unix ? new FixedTime(DateTimeOffset.FromUnixTimeSeconds(unix)) : time;
            using var verifier = new StandardWebhookVerifier(keys, TimeSpan.FromSeconds(parse.GetValue(tolerance)), clock);
            var result = verifier.Verify(bytes, name => headerValues.GetValueOrDefault(name));
            if (result.IsValid)
            {
                console.Out.WriteLine("valid");
                return ExitCodes.Ok;
            }

            console.Error.WriteLine($"invalid: {result.Reason} ({result.Failure})");
            return ExitCodes.Failed;
        });
        return command;
    }

    internal static Dictionary<string, string> ParseHeaders(IEnumerable<string> headers)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new UsageException($"--header '{header}' is not \"name: value\"");
            }

            var name = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            values[name] = values.TryGetValue(name, out var earlier) ? $"{earlier} {value}" : value;
        }

        return values;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
