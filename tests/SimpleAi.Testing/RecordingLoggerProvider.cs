using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SimpleAi.Testing;

/// <summary>
/// Keeps every formatted log line and every scope opened, so tests can check what reaches the logs (and what never
/// must). Lines and scopes are kept whatever their level; the container's filter (Information by default) still
/// decides which lines reach the provider.
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>The text of every scope a logger began (<c>HTTP POST http://…</c>, <c>{event_id, call_id}</c>, …).</summary>
    public ConcurrentQueue<string> Scopes { get; } = new();

    /// <summary>Lines and scopes: everything a log sink could have written.</summary>
    public IEnumerable<string> Everything => Lines.Concat(Scopes);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            provider.Scopes.Enqueue($"{category}: {ScopeText(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            provider.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }

        /// <summary>The scope as a sink would write it: its text, and each of its named values.</summary>
        private static string ScopeText(object state) => state is IEnumerable<KeyValuePair<string, object?>> values
            ? $"{state} {string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))}"
            : state.ToString() ?? string.Empty;
    }
}
