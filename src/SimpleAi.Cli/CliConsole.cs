namespace SimpleAi.Cli;

/// <summary>The streams a command reads and writes, so tests can run the CLI in process.</summary>
public sealed record CliConsole(Func<Stream> OpenInput, TextWriter Out, TextWriter Error)
{
    public static CliConsole System => new(Console.OpenStandardInput, Console.Out, Console.Error);
}
