namespace SimpleAi.Cli;

/// <summary>The streams and environment a command uses, so tests can run the CLI in process.</summary>
public sealed record CliConsole(Func<Stream> OpenInput, TextWriter Out, TextWriter Error, Func<string, string?> Environment)
{
    public CliConsole(Func<Stream> openInput, TextWriter output, TextWriter error)
        : this(openInput, output, error, _ => null)
    {
    }

    public static CliConsole System => new(Console.OpenStandardInput, Console.Out, Console.Error, global::System.Environment.GetEnvironmentVariable);
}
