using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Commands;

internal static class CliSecrets
{
    /// <summary>Parses a secret argument; the error names the option, never the secret.</summary>
    public static WebhookSecret Parse(string value, string option) =>
        WebhookSecret.TryParse(value, out var secret, out var error)
            ? secret
            : throw new UsageException($"{option}: {error}");
}
