using System.CommandLine;
using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Cli.Commands;

/// <summary><c>simpleai-webhooks</c>: the operator's tool for Simple AI webhooks.</summary>
public sealed class CliApp(CliConsole console, TimeProvider time)
{
    public int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    /// <param name="cancellationToken">Stops a command that runs until Ctrl+C (<c>fake-api</c>, <c>listen</c>) as Ctrl+C does.</param>
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Sign, verify, send and replay Simple AI webhooks, see what happened to a call, and stand in for Simple AI and a receiver locally.")
        {
            SignCommand.Create(console, time),
            VerifyCommand.Create(console, time),
            SendCommand.Create(console, time),
            StatusCommand.Create(console),
            ReplayCommand.Create(console),
            EraseCommand.Create(console, time),
            ContactsCommand.Create(console),
            DestinationsCommand.Create(console, time),
            FakeApiCommand.Create(console, time),
            ListenCommand.Create(console, time),
            RegisterCommand.Create(console),
            PreCallCommand.Create(console),
            FakeSourcesCommand.Create(console, time),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Error.WriteLine($"error: {error.Message}");
            }

            console.Error.WriteLine("Run 'simpleai-webhooks --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
            }, cancellationToken);
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (ConfigurationErrors.IsConfigurationError(e))
        {
            console.Error.Write(ConfigurationErrors.Format(ConfigurationErrors.Problems(e)));
            return ExitCodes.Configuration;
        }
    }
}
