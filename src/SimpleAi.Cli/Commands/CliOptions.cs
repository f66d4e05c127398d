using System.CommandLine;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Commands;

internal static class CliOptions
{
    public static Option<string?> Settings() => new("--settings")
    {
        Description = "A local.settings.json to read SimpleAiStorage from (default: ./local.settings.json, then src/SimpleAi.Functions/local.settings.json; the environment wins; else Azurite).",
    };
}

internal static class CliSecrets
{
    /// <summary>Parses a secret argument; the error names the option, never the secret.</summary>
    public static WebhookSecret Parse(string value, string option) =>
        WebhookSecret.TryParse(value, out var secret, out var error)
            ? secret
            : throw new UsageException($"{option}: {error}");
}
