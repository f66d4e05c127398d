using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace SimpleAi.Testing;

/// <summary>
/// A real Azurite (blobs, queues, tables) for the tests: the one named by <c>SIMPLEAI_TEST_STORAGE</c> (a connection
/// string), else one this fixture starts from the repository's <c>node_modules</c> on free ports, persisting to a
/// temporary folder that <see cref="DisposeAsync"/> deletes.
/// </summary>
/// <remarks>
/// Not in memory: Azurite 3.37.0's <c>--inMemoryPersistence</c> keeps one extent per queue message and its queue
/// clean-up, every 60 s, deletes them one by one, each deletion re-sorting the extent index (quadratic, blocking its
/// event loop). Under sustained traffic it stopped answering altogether after its first pass; on disk, messages share
/// 64 MB extent files and the same soak ran without a stall (<c>soak memory|disk</c> in SimpleAi.Benchmarks).
/// </remarks>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    public const string SettingName = "SIMPLEAI_TEST_STORAGE";

    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private Process? _process;
    private string? _location;

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>
    /// Provision the app's tables, containers and queues at start, as the Bicep does in Azure (default). False: an
    /// empty account of its own (never the one <see cref="SettingName"/> names), for tests of a missing resource.
    /// </summary>
    public bool Provisioned { get; init; } = true;

    /// <summary>Keep everything in Azurite's memory (<c>--inMemoryPersistence</c>): only to reproduce its stalls.</summary>
    public bool InMemory { get; init; }

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(SettingName);
        if (Provisioned && !string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            await AppStorage.ProvisionAsync(ConnectionString);
            return;
        }

        var script = Path.Combine(RepoPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed at {script}: run 'npm ci' in the repository root, " +
                $"or set {SettingName} to the connection string of a running emulator.");
        }

        _location = Directory.CreateTempSubdirectory("azurite-").FullName;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _location,
        };
        foreach (var argument in new[]
        {
            script, "--skipApiVersionCheck", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", "0",
            "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in InMemory ? ["--inMemoryPersistence"] : new[] { "--location", _location })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var ports = new Dictionary<string, string>();
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (ports.Count < 3)
        {
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException(
                    "Azurite exited before listening: " + await _process.StandardError.ReadToEndAsync(timeout.Token));
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                ports[match.Groups["service"].Value] = match.Groups["port"].Value;
            }
        }

        // Keep draining its output so the pipe never fills and blocks Azurite.
        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            $"AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{ports["Blob"]}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{ports["Queue"]}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{ports["Table"]}/devstoreaccount1;";
        if (Provisioned)
        {
            await AppStorage.ProvisionAsync(ConnectionString);
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        if (_location is not null)
        {
            Directory.Delete(_location, recursive: true);
        }

        return Task.CompletedTask;
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
