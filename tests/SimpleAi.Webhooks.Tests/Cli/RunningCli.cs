using System.Text.RegularExpressions;
using SimpleAi.Cli;
using SimpleAi.Cli.Commands;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary>
/// A command that serves until Ctrl+C (<c>fake-api</c>, <c>listen</c>), run in process: its output read while it runs,
/// the address it printed, and its exit code once cancelled as Ctrl+C would.
/// </summary>
internal sealed partial class RunningCli : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly LockedWriter _out = new();
    private readonly LockedWriter _error = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;

    private RunningCli(string[] args)
    {
        var console = new CliConsole(() => new MemoryStream(), _out, _error);
        _run = Task.Run(() => new CliApp(console, TimeProvider.System).RunAsync(args, _stop.Token));
    }

    public string Out => _out.ToString();

    public string Error => _error.ToString();

    /// <summary>The base address the command printed first (<c>http://127.0.0.1:&lt;port&gt;/…/</c>).</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<RunningCli> StartAsync(params string[] args)
    {
        var cli = new RunningCli(args);
        await Conditions.WaitAsync(() => cli._run.IsCompleted || UrlPattern().IsMatch(cli.Error), Patience, $"{args[0]} to print its address");
        if (cli._run.IsCompleted)
        {
            throw new InvalidOperationException($"{args[0]} ended with {await cli._run}: {cli.Error}");
        }

        cli.Url = new Uri(UrlPattern().Match(cli.Error).Value);
        return cli;
    }

    /// <summary>Waits until standard output has a line matching <paramref name="pattern"/>, and returns it.</summary>
    public async Task<string> LineAsync(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        await Conditions.WaitAsync(() => regex.IsMatch(Out), Patience, $"a line matching '{pattern}' in:\n{Out}");
        var match = regex.Match(Out);
        var start = Out.LastIndexOf('\n', match.Index) + 1;
        var end = Out.IndexOf('\n', match.Index);
        return Out[start..(end < 0 ? Out.Length : end)].TrimEnd('\r');
    }

    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WaitAsync(Patience);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
        _out.Dispose();
        _error.Dispose();
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/\S*?(?=[\s,)]|$)")]
    private static partial Regex UrlPattern();

    /// <summary>A StringWriter the server's threads write to while the test reads it.</summary>
    private sealed class LockedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }
    }
}
