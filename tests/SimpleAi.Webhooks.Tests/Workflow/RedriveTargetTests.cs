using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Tests.Workflow;

/// <summary>What the driver of a finished step re-sends when it comes back (a crash may have lost its send).</summary>
public sealed class RedriveTargetTests
{
    private static readonly WorkflowDefinition Workflow = new(
    [
        Step("a"),
        Step("b", data => !data.ContainsKey("skip-b")),
        new WorkflowStepDefinition("c", typeof(Noop), data => data.ContainsKey("absent-c") ? RuleVerdict.Missed(FieldMiss.AbsentFrom("c-field", "the call")) : RuleVerdict.True),
    ]);

    public static TheoryData<string, string, StepState?, string?, string?> Cases() => new()
    {
        { "next step still only queued: re-send it", "run-1", new StepState(StepStatus.Queued, "tb"), null, "b" },
        { "next step claimed: under way, nothing to send", "run-1", new StepState(StepStatus.Running, "tb", 1, ClaimedBy: "m"), null, null },
        { "next step completed: nothing to send", "run-1", new StepState(StepStatus.Completed, "tb"), null, null },
        { "next step failed and retried by its own message: nothing to send", "run-1", new StepState(StepStatus.Failed, "tb"), null, null },
        { "the step after a ruled-out one still queued: re-send it", "run-1", null, "skip-b", "c" },
        { "b ruled out, c skipped for a missing field: the run ended there, nothing to re-send", "run-1", null, "skip-b,absent-c", null },
        { "a single-step run ends with its step", "run-1:trigger:urgent", new StepState(StepStatus.Queued, "tb"), null, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RedriveTarget_IsTheNextStepOnlyWhileItIsQueued(string scenario, string runId, StepState? b, string? dataKey, string? expected)
    {
        var run = new WorkflowRun { RunId = runId, CallId = "run-1", EventId = "evt_1", Status = RunStatus.Running };
        run.Steps["a"] = new StepState(StepStatus.Completed, "ta");
        if (b is not null)
        {
            run.Steps["b"] = b;
        }

        if (dataKey is not null)
        {
            foreach (var key in dataKey.Split(','))
            {
                run.Data[key] = "1";
            }

            run.Steps["c"] = new StepState(StepStatus.Queued, "tc");
        }

        var target = StepDecision.RedriveTarget(Workflow, run, "a");

        Assert.True(expected == target, $"{scenario}: {target}");
    }

    [Fact]
    public void LastStepCompleted_HasNothingToRedrive()
    {
        var run = new WorkflowRun { RunId = "run-1", CallId = "run-1", EventId = "evt_1", Status = RunStatus.Completed };
        run.Steps["c"] = new StepState(StepStatus.Completed, "tc");

        Assert.Null(StepDecision.RedriveTarget(Workflow, run, "c"));
    }

    private static WorkflowStepDefinition Step(string name, Func<IReadOnlyDictionary<string, string>, bool>? when = null) =>
        new(name, typeof(Noop), when ?? (_ => true));

    private sealed class Noop : IWorkflowStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(StepResult.Done);
    }
}
