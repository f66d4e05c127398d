using System.Diagnostics;
using Xunit.Abstractions;

namespace SimpleAi.Functions.Tests.Documentation;

/// <summary>
/// README's Quick start, its commands read from README itself, run as written on a fresh <c>git clone</c> of the
/// committed tree (<see cref="FreshClone"/>): set-up (<c>npm ci</c>), run, send end with a completed run and signed
/// documents at the local receiver, offline, on the sample settings, through the first build of a clone. The app listens
/// on a free port and keeps its data in an Azurite of the test's own (both given through the environment, so
/// <c>npm start</c> starts no Azurite of its own), so that another local run on 7071 or 10000-10002 cannot take its
/// messages: everything else is the clone's sample settings and workflow.json.
/// </summary>
[Collection(WholeProcessCollection.Name)]
public sealed class QuickStartTests(ITestOutputHelper output) : IAsyncLifetime
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
    public async Task QuickStartCommands_OnAFreshClone_EndWithACompletedRunAndSignedDocumentsAtTheLocalReceiver()
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
        using var clone = await FreshClone.OfHeadAsync();
        var clock = Stopwatch.StartNew();

        var (installed, setUp) = await RepoCommand.RunAsync("sh", ["-c", commands[0]], environment, clone.Root);
        Assert.True(installed == 0, $"`{commands[0]}` exited {installed}: {setUp}");
        var setUpTook = clock.Elapsed;
        using var run = RunningCommand.Start("sh", ["-c", commands[1]], environment, clone.Root);
        try
        {
            await Conditions.WaitAsync(() => run.Printed.Contains("Listening on", StringComparison.Ordinal), TimeSpan.FromMinutes(6), $"`{commands[1]}` to listen ({run.Output})");
            var listeningAfter = clock.Elapsed;
            var (code, sent) = await RepoCommand.RunAsync("sh", ["-c", commands[2]], environment, clone.Root);
            output.WriteLine(
                $"Fresh clone: `{commands[0]}` took {setUpTook.TotalSeconds:F0} s; `{commands[1]}` listened {listeningAfter.TotalSeconds:F0} s after the clone; "
                + $"`{commands[2]}` ended {clock.Elapsed.TotalSeconds:F0} s after it (exit {code}).");

            Assert.True(code == 0, $"`{commands[2]}` exited {code}: {sent}\n--- npm start:\n{run.Output}");
            Assert.Matches(@"run [0-9a-f-]{36}: completed", sent);
            Assert.Matches(@"fetch-call\s+completed", sent);
            Assert.Matches(@"crm-sync\s+completed", sent);
            Assert.Matches(@"notify\s+completed", sent);
            await Conditions.WaitAsync(() => run.Printed.Contains(":notify try 1, signature valid, answered 200", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), $"the receiver's line for notify ({run.Output})");
            Assert.Contains("Offline demo: SimpleAi__ApiKey is not set", run.Printed, StringComparison.Ordinal);
            Assert.Contains("(no Azurite started)", run.Printed, StringComparison.Ordinal);
            Assert.Contains(":crm-sync try 1, signature valid, answered 200", run.Printed, StringComparison.Ordinal);
            // A first start builds everything: no restore warnings of the worker SDK's generated project even then.
            Assert.DoesNotContain("NU1603", run.Printed, StringComparison.Ordinal);
        }
        finally
        {
            run.Stop();
        }
    }

    /// <summary>The commands of README's Quick start block, without their comments.</summary>
    private static List<string> Commands() =>
        Assert.Single(ReadmeExamples.BlocksUnder("## Quick start", "sh"))
            .Split('\n')
            .Select(line => line.Split('#')[0].Trim())
            .Where(command => command.Length > 0)
            .ToList();
}
