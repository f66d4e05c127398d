using System.CommandLine;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Commands;

/// <summary><c>sign</c>: prints the three <c>webhook-*</c> headers for a body, one per line as <c>name: value</c>.</summary>
internal static class SignCommand
{
    public static Command Create(CliConsole console, TimeProvider time)
    {
        var secret = new Option<string>("--secret") { Description = "The signing secret (whsec_...).", Required = true };
        var body = new Option<string>("--body") { Description = "The body file, or - for standard input.", Required = true };
        var id = new Option<string?>("--id") { Description = "The webhook-id (default: a new msg_ id)." };
        var timestamp = new Option<long?>("--timestamp") { Description = "The webhook-timestamp in Unix seconds (default: now)." };
        var command = new Command("sign", """
            Sign a body the Standard Webhooks way and print the webhook-id, webhook-timestamp and webhook-signature headers.
            Example: simpleai-webhooks sign --secret whsec_... --body event.json
            """)
        {
            secret, body, id, timestamp,
        };
        command.SetAction(parse =>
        {
            var key = CliSecrets.Parse(parse.GetValue(secret)!, "--secret");
            var bytes = BodySource.Read(parse.GetValue(body)!, console);
            var headers = StandardWebhookSigner.Sign(
                key,
                parse.GetValue(id) ?? StandardWebhookSigner.NewMessageId(),
                parse.GetValue(timestamp) ?? time.GetUtcNow().ToUnixTimeSeconds(),
                bytes);
            console.Out.WriteLine($"{WebhookHeaders.IdName}: {headers.Id}");
            console.Out.WriteLine($"{WebhookHeaders.TimestampName}: {headers.Timestamp}");
            console.Out.WriteLine($"{WebhookHeaders.SignatureName}: {headers.Signature}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
