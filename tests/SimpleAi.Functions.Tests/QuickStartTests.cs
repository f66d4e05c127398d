namespace SimpleAi.Functions.Tests;

/// <summary>
/// README's Quick start, its commands read from README itself: set-up, run, send end with a completed run and signed
/// documents at the local receiver, offline, on the sample settings. <c>npm ci</c> is the one command not run again
/// here (CI has just run it, and reinstalling node_modules under the running tests' Azurite would pull it from under
/// them); the test holds it to be the first command. The app listens on a free port and keeps its data in an Azurite of
/// the test's own (both given through the environment), so that another local run on 7071 or 10000-10002 cannot take
/// its messages: everything else is the sample settings and workflow.json of the repository.
/// </summary>
[Collection(WholeProcessCollection.Name)]
public sealed class QuickStartTests : IAsyncLifetime
{
    private readonly AzuriteFixture _storage = new();

    public Task InitializeAsync() => _storage.InitializeAsync();

    public Task DisposeAsync() => _storage.DisposeAsync();

    [Fact]
    public void QuickStart_IsSetUpRunAndSend()
    {
        Assert.Equal(["npm ci", "npm start", "npm run call"], Commands());
    }

    [Fact]
    public async Task QuickStartCommands_EndWithACompletedRunAndSignedDocumentsAtTheLocalReceiver()
    {
        var commands = Commands();
        var environment = new Dictionary<string, string?>
        {
            ["SIMPLEAI_LOCAL_URL"] = $"http://127.0.0.1:{ClosedPort.Find()}",
            ["SimpleAiStorage"] = _storage.ConnectionString,
            ["AzureWebJobsStorage"] = _storage.ConnectionString,
            ["SimpleAi__ApiKey"] = null,
            ["SimpleAi__BaseUrl"] = null,
        };

        using var run = RunningCommand.Start("sh", ["-c", commands[1]], environment);
        await Conditions.WaitAsync(() => run.Printed.Contains("Listening on", StringComparison.Ordinal), TimeSpan.FromMinutes(4), $"`{commands[1]}` to listen ({run.Output})");
        var (code, sent) = await RepoCommand.RunAsync("sh", ["-c", commands[2]], environment);

        Assert.True(code == 0, $"`{commands[2]}` exited {code}: {sent}\n--- npm start:\n{run.Output}");
        Assert.Matches(@"run [0-9a-f-]{36}: completed", sent);
        Assert.Matches(@"fetch-call\s+completed", sent);
        Assert.Matches(@"crm-sync\s+completed", sent);
        Assert.Matches(@"notify\s+completed", sent);
        await Conditions.WaitAsync(() => run.Printed.Contains(":notify try 1, signature valid, answered 200", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), $"the receiver's line for notify ({run.Output})");
        Assert.Contains("Offline demo: SimpleAi__ApiKey is not set", run.Printed, StringComparison.Ordinal);
        Assert.Contains(":crm-sync try 1, signature valid, answered 200", run.Printed, StringComparison.Ordinal);
    }

    /// <summary>The commands of README's Quick start block, without their comments.</summary>
    private static List<string> Commands() =>
        Assert.Single(ReadmeExamples.BlocksUnder("## Quick start", "sh"))
            .Split('\n')
            .Select(line => line.Split('#')[0].Trim())
            .Where(command => command.Length > 0)
            .ToList();
}
