using System.Diagnostics;
using System.Text;

namespace SimpleAi.Testing;

/// <summary>
/// A long-running command started by <see cref="RepoCommand"/> (<c>npm start</c>) and what it printed so far; stopping
/// it ends the whole tree it started (node, dotnet, the app, an Azurite).
/// </summary>
public sealed class RunningCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningCommand(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static RunningCommand Start(
        string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null) =>
        new(Process.Start(RepoCommand.StartInfo(file, arguments, environment, workingDirectory))!);

    /// <summary>Everything printed so far, standard output and error interleaved as they came.</summary>
    public string Printed
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The last lines printed, for a failure message.</summary>
    public string Output => Printed.Length > 3000 ? "…" + Printed[^3000..] : Printed;

    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
