namespace SimpleAi.Webhooks.Tests.Workflow;

/// <summary>Every branch of the step protocol, decided from the run alone.</summary>
public sealed class StepDecisionTests
{
    private const string Token = "t1";
    private const string Me = "queue-message-1";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly StepMessage Message = new("run-1", "run-1", "evt_1", "b", Token);

    public static TheoryData<string, StepState?, StepAction, string> Cases() => new()
    {
        { "no such step state", null, StepAction.Poison, "never queued" },
        { "another token", new StepState(StepStatus.Queued, "t0"), StepAction.Drop, "not the message the run queued" },
        { "queued", new StepState(StepStatus.Queued, Token), StepAction.Run, "claiming" },
        { "failed before, retried", new StepState(StepStatus.Failed, Token, Attempts: 2), StepAction.Run, "claiming" },
        { "claimed by this message, back after a crash", Claimed(Me, Now.AddSeconds(-40)), StepAction.Run, "taking over" },
        { "claimed by another copy, running now", Claimed("queue-message-2", Now.AddSeconds(-5)), StepAction.Drop, "another copy" },
        { "claimed by another copy, lease over", Claimed("queue-message-2", Now - StepDecision.ClaimLease - TimeSpan.FromSeconds(1)), StepAction.Run, "taking over" },
        { "completed", new StepState(StepStatus.Completed, Token), StepAction.Redrive, "completed" },
        { "skipped by a condition (never queued)", new StepState(StepStatus.Skipped), StepAction.Drop, "not the message the run queued" },
        { "skipped itself (a transformation cancelled): re-send the next step", new StepState(StepStatus.Skipped, Token), StepAction.Redrive, "skipped itself" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_GivesTheActionForTheStepsState(string scenario, StepState? state, StepAction expected, string reason)
    {
        var run = Run(state);

        var decision = StepDecision.Decide(run, Message, "step-b", "b", stepKnown: true, Me, Now);

        Assert.True(expected == decision.Action, $"{scenario}: {decision}");
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownRun_IsPoisoned()
    {
        var decision = StepDecision.Decide(null, Message, "step-b", "b", stepKnown: true, Me, Now);

        Assert.Equal(StepAction.Poison, decision.Action);
        Assert.Contains("unknown run 'run-1'", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RunGoneWithItsCall_PurgedOrErased_IsDropped_NotPoisoned()
    {
        var decision = StepDecision.Decide(null, Message, "step-b", "b", stepKnown: true, Me, Now, gone: "erased on 2026-11-28 11:00:00Z");

        Assert.Equal(StepAction.Drop, decision.Action);
        Assert.Contains("its call was erased on", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("b", false)]
    [InlineData("c", true)]
    public void UnknownStepOrAMessageOnAnotherStepsQueue_IsPoisoned(string queueStep, bool known)
    {
        var decision = StepDecision.Decide(Run(new StepState(StepStatus.Queued, Token)), Message, "step-" + queueStep, queueStep, known, Me, Now);

        Assert.Equal(StepAction.Poison, decision.Action);
        Assert.Contains("unknown step 'b'", decision.Reason, StringComparison.Ordinal);
    }

    private static StepState Claimed(string by, DateTimeOffset at) => new(StepStatus.Running, Token, Attempts: 1, ClaimedBy: by, ClaimedAt: at);

    private static WorkflowRun Run(StepState? state)
    {
        var run = new WorkflowRun { RunId = "run-1", CallId = "run-1", EventId = "evt_1", Status = RunStatus.Running };
        run.Steps["a"] = new StepState(StepStatus.Completed, "t-a");
        if (state is not null)
        {
            run.Steps["b"] = state;
        }

        return run;
    }
}
