using System.CommandLine;

namespace SimpleAi.Cli.Commands;

internal static class CliOptions
{
    public static Option<string?> Settings() => new("--settings")
    {
        Description = "A local.settings.json to read SimpleAiStorage from (default: ./local.settings.json, then src/SimpleAi.Functions/local.settings.json; the environment wins; else Azurite).",
    };
}
