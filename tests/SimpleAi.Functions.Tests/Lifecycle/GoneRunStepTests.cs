using SimpleAi.Webhooks.Lifecycle;

namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>
/// A step message still in flight when its call was erased (its run row deleted) drops itself under the real listener:
/// it neither recreates the run nor poisons the call's data it carries (the run snapshot). A message whose run is
/// unknown for another reason is still poisoned, without the snapshot it carried.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GoneRunStepTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StepMessageCarryingItsRun_RunDeleted_DropsIfErased_ElsePoisonsWithoutTheSnapshot(bool erased)
    {
        await using var harness = await WorkflowHarness.Create(azurite.ConnectionString).StartAsync();
        var callId = Guid.NewGuid().ToString();
        var runs = harness.App.GetRequiredService<RunStore>();
        var run = new WorkflowRun { RunId = callId, CallId = callId, EventId = "evt_" + callId, Status = RunStatus.Running, CreatedAt = DateTimeOffset.UtcNow };
        run.Data["from_number"] = "+15550001111";
        run.Steps["a"] = StepState.Queue();
        Assert.True(await runs.TryCreateAsync(run, CancellationToken.None));
        var message = RunStore.MessageFor(run, "a", null, null);
        Assert.NotNull(message.Run);
        if (erased)
        {
            await harness.App.GetRequiredService<LifecycleRecords>().MarkErasedAsync([callId], "erasure-1", DateTimeOffset.UtcNow, CancellationToken.None);
        }

        await harness.App.GetRequiredService<TableServiceClient>().GetTableClient(TableNames.Runs).DeleteEntityAsync(callId, callId);

        await harness.Queues.GetQueueClient(QueueNames.Step("a")).SendMessageAsync(message.Encode().ToString());
        await harness.RunUntilIdleAsync();

        Assert.Null(await harness.RunOfAsync(callId));
        Assert.Equal(0, harness.Effects.InvocationsOf(callId, "a"));
        var poisoned = (await harness.PoisonedAsync(QueueNames.Step("a"))).Where(p => p.Contains(callId, StringComparison.Ordinal)).ToList();
        if (erased)
        {
            Assert.Empty(poisoned);
            Assert.Contains(harness.Logs.Lines, l => l.Contains("its call was erased on", StringComparison.Ordinal));
        }
        else
        {
            var text = Assert.Single(poisoned);
            Assert.Contains("unknown run", text, StringComparison.Ordinal);
            Assert.DoesNotContain("+15550001111", text, StringComparison.Ordinal);
        }
    }
}
