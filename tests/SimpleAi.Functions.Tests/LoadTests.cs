using System.Text.Json;
using SimpleAi.Cli;
using SimpleAi.Testing;
using Xunit.Abstractions;

namespace SimpleAi.Functions.Tests;

/// <summary>
/// Signed deliveries at concurrency 64, 20% of them duplicates, sent by <c>simpleai-webhooks send</c> to the app's
/// endpoint on a local server, then run through RouteEvent and a three-step workflow on Azurite: every distinct
/// event has exactly one run and every step ran once. 2,000 deliveries in the normal run; set
/// <c>SIMPLEAI_LOAD_EVENTS=10000</c> for the full load test (Azurite's tables slow down as they grow, so it is long).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LoadTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task ManyEventsWithDuplicates_EachDistinctEventRunsOnce()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("SIMPLEAI_LOAD_EVENTS"), out var n) ? n : 2_000;
        await using var harness = await WorkflowHarness.StartAsync(azurite.ConnectionString);
        await using var server = await AppHttpServer.StartAsync(harness.App);
        var stdout = new StringWriter();
        var console = new CliConsole(() => new MemoryStream(), stdout, TextWriter.Null, _ => null);

        var code = await new CliApp(console, TimeProvider.System).RunAsync(
        [
            "send", "call.completed", "--url", server.WebhookUrl.ToString(), "--secret", TestSigning.Secret,
            "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--concurrency", "64", "--duplicate-ratio", "0.2", "--json",
        ]);
        using var summary = JsonDocument.Parse(stdout.ToString());
        output.WriteLine($"send: {stdout}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await harness.RunUntilIdleAsync(600);
        output.WriteLine($"workflow drained in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(0, code);
        Assert.Equal(count, summary.RootElement.GetProperty("statuses").GetProperty("202").GetInt32());
        var byCall = harness.Effects.Invocations.GroupBy(i => i.CallId).ToList();
        Assert.Equal(count - (int)Math.Round(count * 0.2), byCall.Count);
        Assert.All(byCall, call => Assert.Equal(["a", "b", "c"], call.Select(i => i.Step).Order()));
        Assert.Empty(harness.Dispatcher.Failures);
    }
}
