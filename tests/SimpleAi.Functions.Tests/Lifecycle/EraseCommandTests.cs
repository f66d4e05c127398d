using Microsoft.Extensions.Time.Testing;
using SimpleAi.Cli;
using SimpleAi.Cli.Commands;
using SimpleAi.Webhooks.Lifecycle;

namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>
/// <c>erase</c> through the CLI on real storage: a caller with three calls (one live, one failed with its message in a
/// poison queue, one completed) leaves no row, blob or queue message holding the number or those call ids but the
/// audit's, which holds no number; another caller's data stays whole; <c>status</c> and <c>replay</c> say "erased".
/// </summary>
[Collection(LifecycleCollection.Name)]
public sealed class EraseCommandTests(LifecycleAzurite azurite)
{
    private const string AuditKey = "test-audit-key-0123456789-abcdefghijklmnop";

    [Fact]
    public async Task EraseCaller_ThreeCallsOneLiveOnePoisoned_LeavesNothingButTheAudit_OtherCallerWhole()
    {
        var storage = new CountingStorage(azurite.ConnectionString);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-3));
        var seeder = new CallSeeder(storage.Tables, storage.Blobs, storage.Queues, clock);
        var number = "+1555" + Random.Shared.Next(2_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var other = "+1666" + Random.Shared.Next(2_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = clock.GetUtcNow();
        var calls = new[]
        {
            await seeder.SeedAsync(1, now.AddHours(-2), number),
            await seeder.SeedAsync(3, now.AddMinutes(-10), number, live: true),
            await seeder.SeedAsync(7, now.AddHours(-1), number, poisoned: true),
        };
        var kept = await seeder.SeedAsync(40, now.AddHours(-1), other);
        var contacts = new SimpleAi.Webhooks.PreCall.ContactStore(storage.Tables);
        await contacts.UpsertAsync(number, new Dictionary<string, string> { ["name"] = "Ada Caller" }, CancellationToken.None);
        await contacts.UpsertAsync(other, new Dictionary<string, string> { ["name"] = "Other Caller" }, CancellationToken.None);
        string[] marks = [.. calls.SelectMany(c => c.Marks), "Ada Caller"];
        var keptBefore = StorageListing.Holding(await StorageListing.AllAsync(azurite.ConnectionString), [.. kept.Marks, "Other Caller"]);
        var written = "(" + number[2..5] + ") " + number[5..8] + "-" + number[8..];

        var dryRun = await RunAsync(AuditKey, "erase", "--caller", written, "--dry-run");
        Assert.Equal((ExitCodes.Ok, string.Empty), (dryRun.Code, dryRun.Error.Split("warning:")[0]));
        Assert.All(calls, c => Assert.Contains($"would erase call {c.CallId}", dryRun.Out, StringComparison.Ordinal));
        Assert.Contains("would erase the caller's contact row", dryRun.Out, StringComparison.Ordinal);
        Assert.Contains("would remove 1 poison message(s)", dryRun.Out, StringComparison.Ordinal);
        Assert.NotEmpty(StorageListing.Holding(await StorageListing.AllAsync(azurite.ConnectionString), marks));

        var noKey = await RunAsync(null, "erase", "--caller", written);
        Assert.Equal(ExitCodes.Usage, noKey.Code);
        Assert.Contains("Retention__AuditKey is not set", noKey.Error, StringComparison.Ordinal);
        var badNumber = await RunAsync(AuditKey, "erase", "--caller", "call me maybe");
        Assert.Equal(ExitCodes.Usage, badNumber.Code);
        Assert.Contains("is not a phone number", badNumber.Error, StringComparison.Ordinal);

        var erase = await RunAsync(AuditKey, "erase", "--caller", written, "--by", "dpo@example.com");
        Assert.Equal(ExitCodes.Ok, erase.Code);
        Assert.Contains($"warning: call {calls[1].CallId} is still live", erase.Error, StringComparison.Ordinal);

        var listing = await StorageListing.AllAsync(azurite.ConnectionString);
        var left = StorageListing.Holding(listing, marks);
        Assert.All(left, item => Assert.StartsWith("table lifecycle:", item, StringComparison.Ordinal));
        Assert.Empty(StorageListing.Holding(listing, [number, number.TrimStart('+'), "Ada Caller"]));
        var audit = Assert.Single(left, item => item.Contains("NumberHash=", StringComparison.Ordinal));
        Assert.Contains("NumberHash=" + ErasureAudit.HashOf(number, AuditKey), audit, StringComparison.Ordinal);
        Assert.Contains("ErasedBy=dpo@example.com", audit, StringComparison.Ordinal);
        Assert.Contains("Calls=3", audit, StringComparison.Ordinal);
        Assert.Equal(keptBefore.Order(StringComparer.Ordinal), StorageListing.Holding(listing, [.. kept.Marks, "Other Caller"]).Order(StringComparer.Ordinal));

        var status = await RunAsync(AuditKey, "status", calls[2].CallId);
        Assert.Equal(4, status.Code);
        Assert.Contains($"call {calls[2].CallId} was erased on ", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayOfAnErasedCallsMessage_IsRefused_DropPurgedRemovesIt()
    {
        var storage = new CountingStorage(azurite.ConnectionString);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-3));
        var seeder = new CallSeeder(storage.Tables, storage.Blobs, storage.Queues, clock);
        var call = await seeder.SeedAsync(80, clock.GetUtcNow().AddHours(-1), "+1777" + Random.Shared.Next(2_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var erase = await RunAsync(null, "erase", "--call", call.CallId);
        Assert.Equal(ExitCodes.Ok, erase.Code);
        Assert.Contains("removed 1 poison message(s)", erase.Out, StringComparison.Ordinal);
        // A copy poisoned after the erasure (a step that was running then).
        await storage.Queues.GetQueueClient(CallSeeder.PoisonQueueName).SendMessageAsync(
            new StepMessage(call.CallId, call.CallId, call.EventIds[0], "fetch-call", "t").Encode().ToString());

        var refused = await RunAsync(null, "replay", "--queue", CallSeeder.PoisonQueueName, "--where", "call_id=" + call.CallId);
        Assert.Equal(ExitCodes.Ok, refused.Code);
        Assert.Contains($"(call {call.CallId}): its call was erased on ", refused.Out, StringComparison.Ordinal);
        Assert.Contains("moved 0 message(s), refused 1", refused.Out, StringComparison.Ordinal);
        await StorageListing.AllVisibleAsync(azurite.ConnectionString);

        var dropped = await RunAsync(null, "replay", "--queue", CallSeeder.PoisonQueueName, "--where", "call_id=" + call.CallId, "--drop-purged");
        Assert.Contains("removed 1 of purged or erased calls", dropped.Out, StringComparison.Ordinal);
        var left = StorageListing.Holding(await StorageListing.AllAsync(azurite.ConnectionString), call.Marks);
        Assert.All(left, item => Assert.StartsWith("table lifecycle:", item, StringComparison.Ordinal));
    }

    private async Task<(int Code, string Out, string Error)> RunAsync(string? auditKey, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new Dictionary<string, string?> { ["SimpleAiStorage"] = azurite.ConnectionString, ["Retention__AuditKey"] = auditKey };
        var console = new CliConsole(() => new MemoryStream(), output, error, name => environment.GetValueOrDefault(name));
        var code = await new CliApp(console, TimeProvider.System).RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }
}
