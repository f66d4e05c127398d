using Spectre.Console;

namespace SimpleAi.Cli;

/// <summary>
/// The streams and environment a command uses, so tests can run the CLI in process. A stream marked as a terminal gets
/// Spectre.Console's colours, width and live progress; any other (a pipe, a file, a test's StringWriter) gets plain text.
/// </summary>
public sealed record CliConsole(
    Func<Stream> OpenInput, TextWriter Out, TextWriter Error, Func<string, string?> Environment, bool OutIsTerminal = false, bool ErrorIsTerminal = false)
{
    public CliConsole(Func<Stream> openInput, TextWriter output, TextWriter error)
        : this(openInput, output, error, _ => null)
    {
    }

    public static CliConsole System => new(
        Console.OpenStandardInput, Console.Out, Console.Error, global::System.Environment.GetEnvironmentVariable, !Console.IsOutputRedirected, !Console.IsErrorRedirected);

    /// <summary>Standard output for tables.</summary>
    public IAnsiConsole RichOut() => CliTerminal.Over(Out, OutIsTerminal);

    /// <summary>Standard error for progress.</summary>
    public IAnsiConsole RichError() => CliTerminal.Over(Error, ErrorIsTerminal);
}
