using SimpleAi.Cli;
using SimpleAi.Cli.Commands;

namespace SimpleAi.Functions.Tests;

/// <summary>Runs <c>simpleai-webhooks</c> in process against a storage account, capturing its exit code and output.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Out, string Error)> WithStorageAsync(string storage, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new Dictionary<string, string?> { ["SimpleAiStorage"] = storage };
        var console = new CliConsole(() => new MemoryStream(), output, error, name => environment.GetValueOrDefault(name));
        var code = await new CliApp(console, TimeProvider.System).RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }
}
