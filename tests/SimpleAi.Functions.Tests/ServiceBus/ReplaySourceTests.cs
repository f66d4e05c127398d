using SimpleAi.Webhooks.Operations;

namespace SimpleAi.Functions.Tests.ServiceBus;

public sealed class ReplaySourceTests
{
    [Theory]
    [InlineData("step-notify-poison", false, "step-notify-poison", false)]
    [InlineData("step-notify-poison", true, "step-notify-poison", false)]
    [InlineData("step-notify/$DeadLetterQueue", true, "step-notify", true)]
    [InlineData("events/$deadletterqueue", true, "events", true)]
    public void PoisonAndDeadLetterQueues_AreReplaySources(string name, bool serviceBus, string entity, bool deadLetters)
    {
        Assert.Equal(new ReplaySource(entity, deadLetters), ReplaySource.Parse(name, serviceBus));
    }

    [Theory]
    [InlineData("step-notify/$deadletterqueue", false, "Service Bus dead-letter queue")]
    [InlineData("step-notify", false, "replay 'step-notify-poison'")]
    [InlineData("step-notify", true, "'step-notify/$deadletterqueue'")]
    public void AnythingElse_IsRefusedWithWhatToReplayInstead(string name, bool serviceBus, string advice)
    {
        var refusal = Assert.Throws<ArgumentException>(() => ReplaySource.Parse(name, serviceBus));

        Assert.Contains(advice, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliReplayOfADeadLetterQueue_OnStorageQueues_IsAUsageErrorNotMovedZero()
    {
        var result = await CliRun.WithStorageAsync("UseDevelopmentStorage=true", "replay", "--queue", "step-notify/$deadletterqueue");

        Assert.NotEqual(0, result.Code);
        Assert.Contains("Service Bus dead-letter queue", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("moved 0", result.Out, StringComparison.Ordinal);
    }
}
