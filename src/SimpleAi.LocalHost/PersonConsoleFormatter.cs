using System.Globalization;
using Microsoft.Azure.WebJobs.Host;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.LocalHost;

/// <summary>
/// The local host's console, for a person watching <c>npm start</c>: one line per record
/// (<c>HH:mm:ss level: Category[event] message</c>, as the simple console's single-line form), an exception as its type
/// and message only when the line does not already say it, never a stack trace; and the host's repeat of a failure the
/// app has already logged (<see cref="LoggedFailure"/>: the WebJobs host's <c>Executed '…' (Failed …)</c>) left out,
/// so a failed try is one line. Telemetry is not a console: its exporters get every record with its exception.
/// </summary>
internal sealed class PersonConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "person";

    /// <summary>Where the WebJobs host logs a function's end (<c>Function.&lt;name&gt;</c>).</summary>
    private const string HostFunctionCategoryPrefix = "Function.";

    private static readonly bool Colors = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var exception = logEntry.Exception;
        if (exception is not null && logEntry.Category.StartsWith(HostFunctionCategoryPrefix, StringComparison.Ordinal) && LoggedFailure.IsMarked(exception))
        {
            return;
        }

        var message = logEntry.Formatter(logEntry.State, exception);
        if (string.IsNullOrEmpty(message) && exception is null)
        {
            return;
        }

        textWriter.Write(DateTimeOffset.Now.ToString("HH:mm:ss ", CultureInfo.InvariantCulture));
        WriteLevel(logEntry.LogLevel, textWriter);
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write("] ");
        textWriter.Write(OneLine(message));
        if (Cause(exception) is { } cause && !message.Contains(cause.Message, StringComparison.Ordinal))
        {
            textWriter.Write($" ({cause.GetType().Name}: {OneLine(cause.Message)})");
        }

        textWriter.WriteLine();
    }

    /// <summary>The exception that says what went wrong: not the host's wrapper around the function's own.</summary>
    private static Exception? Cause(Exception? exception) =>
        exception is FunctionInvocationException { InnerException: { } inner } ? inner : exception;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static void WriteLevel(LogLevel level, TextWriter writer)
    {
        var (text, color) = level switch
        {
            LogLevel.Trace => ("trce", ""),
            LogLevel.Debug => ("dbug", ""),
            LogLevel.Information => ("info", "\u001b[32m"),
            LogLevel.Warning => ("warn", "\u001b[33m"),
            LogLevel.Error => ("fail", "\u001b[31m"),
            LogLevel.Critical => ("crit", "\u001b[1;31m"),
            _ => ("none", ""),
        };
        writer.Write(Colors && color.Length > 0 ? $"{color}{text}\u001b[0m" : text);
    }
}
