using System.Diagnostics;

namespace SimpleAi.Testing;

/// <summary>
/// A command run in the repository root as a person or azd runs it (<c>dotnet run --file infra/hooks/…</c>,
/// <c>npm start</c>), without the test host's MSBuild variables, which would steer the child's own build.
/// </summary>
public static class RepoCommand
{
    /// <param name="environment">Variables to set; a null value removes the variable.</param>
    /// <param name="workingDirectory">Where it runs: the repository root unless given (a fresh clone of it, say).</param>
    public static ProcessStartInfo StartInfo(
        string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    /// <summary>Runs the command to its end (at most 3 minutes: a first <c>dotnet run --file</c> builds); its exit code and stdout + stderr.</summary>
    public static async Task<(int Code, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var process = Process.Start(StartInfo(file, arguments, environment, workingDirectory))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{file} {string.Join(' ', arguments)}` had not ended after 3 minutes: {await stdout + await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
