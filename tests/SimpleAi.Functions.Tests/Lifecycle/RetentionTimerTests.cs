using SimpleAi.Webhooks.Lifecycle;

namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>The local host runs the <c>RetentionSweep</c> timer function under the real WebJobs timer listener, on its schedule setting.</summary>
[Collection(LifecycleCollection.Name)]
public sealed class RetentionTimerTests(LifecycleAzurite azurite)
{
    [Fact]
    public async Task RetentionSweepTimer_OnItsSchedule_PurgesACallOlderThanRetentionDays()
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString)
            .WithSetting(RetentionOptions.SweepScheduleSetting, "*/1 * * * * *")
            .WithSetting("Retention:Days", "30")
            .StartAsync();
        var tables = harness.App.GetRequiredService<TableServiceClient>();
        var seeder = new CallSeeder(tables, harness.App.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>(), harness.Queues, TimeProvider.System);
        // Numbers of this test's own: the other lifecycle tests search all storage for theirs.
        var old = await seeder.SeedAsync(3, DateTimeOffset.UtcNow.AddDays(-40), "+18885550003");
        var recent = await seeder.SeedAsync(5, DateTimeOffset.UtcNow.AddDays(-1), "+18885550005");

        await Conditions.WaitAsync(
            async () => await harness.App.GetRequiredService<RunStore>().FindAsync(old.CallId, CancellationToken.None) is null
                && await tables.GetTableClient(TableNames.Calls).GetEntityIfExistsAsync<TableEntity>(old.CallId, old.CallId) is { HasValue: false },
            TimeSpan.FromSeconds(60),
            "the old call purged by the timer");

        Assert.NotNull(await harness.RunOfAsync(recent.CallId));
        Assert.NotNull(await harness.App.GetRequiredService<LifecycleRecords>().WatermarkAsync(CancellationToken.None));
    }
}
