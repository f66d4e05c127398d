using SimpleAi.Cli;
using SimpleAi.Cli.Commands;
using Xunit.Abstractions;

namespace SimpleAi.Functions.Tests.Suites;

/// <summary>
/// Signed deliveries at concurrency 64, 20% of them duplicates, sent by <c>simpleai-webhooks send</c> to the app's
/// endpoint on the local host's HTTP server, while the WebJobs queue listeners run RouteEvent and a three-step workflow on Azurite: every distinct
/// event has exactly one run and every step ran once. 2,000 deliveries in the normal run; set
/// <c>SIMPLEAI_LOAD_EVENTS=10000</c> for the full load test (long: table reads are point reads by selective RowKeys now, but
/// Azurite's queue store still looks through every stored message on each receive, so a deep queue slows it).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LoadTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task ManyEventsWithDuplicates_EachDistinctEventRunsOnce()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("SIMPLEAI_LOAD_EVENTS"), out var n) ? n : 2_000;
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var stdout = new StringWriter();
        var console = new CliConsole(() => new MemoryStream(), stdout, TextWriter.Null, _ => null);

        var code = await new CliApp(console, TimeProvider.System).RunAsync(
        [
            "send", "call.completed", "--url", harness.WebhookUrl.ToString(), "--secret", TestSigning.Secret,
            "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--concurrency", "64", "--duplicate-ratio", "0.2", "--json",
        ]);
        using var summary = JsonDocument.Parse(stdout.ToString());
        output.WriteLine($"send: {stdout}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Azurite's tables slow down as they grow (a point read scans), so the drain grows faster than the count.
        await harness.RunUntilIdleAsync(Math.Max(600, count / 2));
        output.WriteLine($"workflow drained in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(0, code);
        Assert.Equal(count, summary.RootElement.GetProperty("statuses").GetProperty("202").GetInt32());
        // Exactly once is what a receiver honouring the idempotency key sees: one distinct key per step and call.
        // Under load a message can outlive its invisibility and be delivered twice; that may repeat a try (same key)
        // or fail one transiently, but never poisons a message or adds a run.
        var calls = harness.Effects.Invocations.Select(i => i.CallId).Distinct().ToList();
        Assert.Equal(count - (int)Math.Round(count * 0.2), calls.Count);
        Assert.All(calls, call => Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["c"] = 1 }, harness.Effects.EffectsPerStep(call)));
        foreach (var queue in new[] { "events", "step-a", "step-b", "step-c" })
        {
            Assert.Empty(await harness.PoisonedAsync(queue));
        }

        output.WriteLine($"repeated tries: {harness.Effects.Invocations.Count - (calls.Count * 3)}, transient failures: {harness.Host.Failures.Count}");
    }
}
