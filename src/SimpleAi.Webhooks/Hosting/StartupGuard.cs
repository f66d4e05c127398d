namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// Runs a host's start and, when it stops for its configuration, writes <see cref="ConfigurationErrors"/>' list to
/// <paramref name="output"/> (no stack trace) and answers <see cref="ConfigurationErrors.ExitCode"/>. Any other
/// exception is not a configuration mistake and goes on as it is. Program.cs of the app and of the local host use it.
/// </summary>
public sealed class StartupGuard(TextWriter output)
{
    /// <summary>The host's configuration, once built: lets a workflow step's problem name its line in <c>workflow.json</c>.</summary>
    public IConfiguration? Configuration { get; set; }

    public int Run(Action start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return RunAsync(() =>
        {
            start();
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
    }

    public async Task<int> RunAsync(Func<Task> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            await start();
            return 0;
        }
        catch (Exception e) when (ConfigurationErrors.IsConfigurationError(e))
        {
            await output.WriteAsync(ConfigurationErrors.Format(ConfigurationErrors.Problems(e, Configuration)));
            await output.FlushAsync();
            return ConfigurationErrors.ExitCode;
        }
    }
}
