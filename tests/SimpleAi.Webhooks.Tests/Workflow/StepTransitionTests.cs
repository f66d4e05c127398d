using SimpleAi.Webhooks.Rules;

namespace SimpleAi.Webhooks.Tests.Workflow;

/// <summary>
/// Every branch of what a step's try comes to, decided from the run, the try's outcome and the time alone: no
/// storage, queue or clock. The workflow is a, b, c, d; the try is b's second, claimed by queue message m1.
/// </summary>
public sealed class StepTransitionTests
{
    /// <summary>c is skipped when the data has skip-c, and skipped for its field when it has absent-c; d likewise.</summary>
    private static readonly WorkflowDefinition Workflow = new([Step("a"), Step("b"), Step("c"), Step("d")]);

    private const string Token = "tb";
    private const string NextToken = "t-next";
    private static readonly DateTimeOffset ClaimedAt = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = ClaimedAt.AddSeconds(3);
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(30);
    private static readonly StepTry Earlier = new(1, ClaimedAt.AddMinutes(-1), "busy", ClaimedAt);

    public static TheoryData<string, StepState, StepOutcome, StepTransition, string?> Cases() => new()
    {
        {
            "completed: the next step is queued with a new token and sent",
            Claimed(), StepOutcome.Returned(StepResult.Done),
            Completed(Ends(StepStatus.Completed), ("c", Queued())) with { Send = new StepSend("c") }, null
        },
        {
            "completed with data: merged, and the steps its conditions rule out are skipped",
            Claimed(), StepOutcome.Returned(new StepResult(new Dictionary<string, string> { ["skip-c"] = "1" })),
            Completed(Ends(StepStatus.Completed), ("c", Skipped()), ("d", Queued())) with { Send = new StepSend("d"), Data = Data(("skip-c", "1")) }, null
        },
        {
            "completed, every later step ruled out: the run is completed, nothing sent",
            Claimed(), StepOutcome.Returned(new StepResult(new Dictionary<string, string> { ["skip-c"] = "1", ["skip-d"] = "1" })),
            Completed(Ends(StepStatus.Completed), ("c", Skipped()), ("d", Skipped())) with
            {
                RunStatus = RunStatus.Completed, Data = Data(("skip-c", "1"), ("skip-d", "1")),
            },
            null
        },
        {
            "completed after deferrals: the completion joins its tries",
            Claimed([Earlier]), StepOutcome.Returned(StepResult.Done),
            Completed(Ends(StepStatus.Completed, tries: [Earlier, new StepTry(2, Now, "completed")]), ("c", Queued())) with { Send = new StepSend("c") }, null
        },
        {
            "skipped by its transformation: recorded skipped with the reason, the run goes on",
            Claimed(), StepOutcome.Returned(StepResult.Skip("the transformation cancelled it")),
            Completed(Ends(StepStatus.Skipped, "the transformation cancelled it"), ("c", Queued())) with { Send = new StepSend("c") }, null
        },
        {
            "skipped after deferrals: the reason joins its tries",
            Claimed([Earlier]), StepOutcome.Returned(StepResult.Skip("cancelled")),
            Completed(Ends(StepStatus.Skipped, "cancelled", [Earlier, new StepTry(2, Now, "cancelled")]), ("c", Queued())) with { Send = new StepSend("c") }, null
        },
        {
            "a later step's condition reads a field the data lacks: that step is skipped with the reason, the run goes on",
            Claimed(), StepOutcome.Returned(new StepResult(new Dictionary<string, string> { ["absent-c"] = "1" })),
            Completed(Ends(StepStatus.Completed), ("c", Skipped(Absent("c").Reason)), ("d", Queued())) with
            {
                Send = new StepSend("d"), Data = Data(("absent-c", "1")), SkippedForFields = [new SkippedStep("c", Absent("c"))],
            },
            null
        },
        {
            "the last step ruled out for a missing field after one ruled out plainly: both skipped, the run completes",
            Claimed(), StepOutcome.Returned(new StepResult(new Dictionary<string, string> { ["skip-c"] = "1", ["absent-d"] = "1" })),
            Completed(Ends(StepStatus.Completed), ("c", Skipped()), ("d", Skipped(Absent("d").Reason))) with
            {
                RunStatus = RunStatus.Completed, Data = Data(("skip-c", "1"), ("absent-d", "1")), SkippedForFields = [new SkippedStep("d", Absent("d"))],
            },
            null
        },
        {
            "deferred, spending a try: queued again with the same token, the try kept with when the next is due",
            Claimed(), Threw(new StepDeferredException("busy", Delay, maxTries: 5)),
            Deferred(2, [new StepTry(2, Now, "busy", Now + Delay)], "busy"), "StepDeferredException: busy"
        },
        {
            "a wait: the try is given back and not kept",
            Claimed([Earlier]), Threw(StepDeferredException.Wait("rate limited", Delay)),
            Deferred(1, [Earlier], "rate limited"), "StepDeferredException: rate limited"
        },
        {
            "a recorded wait (its failure paused the destination): given back, but kept",
            Claimed(), Threw(StepDeferredException.Wait("paused", Delay, recorded: true)),
            Deferred(1, [new StepTry(2, Now, "paused", Now + Delay)], "paused"), "StepDeferredException: paused"
        },
        {
            "deferred on its last try: the run fails at the step, the message goes to poison",
            Claimed(), Threw(new StepDeferredException("the call never ended", Delay, maxTries: 2)),
            ForGood("StepDeferredException", "the call never ended"), "StepDeferredException: the call never ended"
        },
        {
            "a permanent failure: the run fails at the step, the message goes to poison without retries",
            Claimed([Earlier]), Threw(new PermanentStepFailureException("422 from the CRM")),
            ForGood("PermanentStepFailureException", "422 from the CRM", Earlier), "PermanentStepFailureException: 422 from the CRM"
        },
        {
            "another failure before the host's last try: recorded, the run goes on, the host retries",
            Claimed(), Threw(new HttpRequestException("connection refused"), dequeueCount: 4),
            FailedTry(lastTry: false), "HttpRequestException: connection refused"
        },
        {
            "another failure on the host's last try: the run fails at the step, the host poisons the message",
            Claimed(), Threw(new HttpRequestException("connection refused"), dequeueCount: 5),
            FailedTry(lastTry: true), "HttpRequestException: connection refused"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void After_GivesTheTransitionForTheOutcome(string scenario, StepState claimed, StepOutcome outcome, StepTransition expected, string? error)
    {
        var run = Run("run-1", claimed);

        var transition = StepTransition.After(Workflow, run, "b", outcome, Now, NextToken);

        Assert.Equivalent(expected with { Error = null }, transition with { Error = null }, strict: true);
        Assert.True(
            error == (transition.Error is null ? null : $"{transition.Error.GetType().Name}: {transition.Error.Message}"),
            $"{scenario}: {transition.Error}");
    }

    [Fact]
    public void SingleStepRun_EndsWithItsStep()
    {
        var run = Run("call-1:trigger:urgent", Claimed());

        var transition = StepTransition.After(Workflow, run, "b", StepOutcome.Returned(new StepResult(Data(("absent-c", "1")))), Now, NextToken);

        Assert.Equivalent(Completed(Ends(StepStatus.Completed)) with { RunStatus = RunStatus.Completed, Data = Data(("absent-c", "1")) }, transition, strict: true);
    }

    [Fact]
    public void StepTheWorkflowNoLongerHas_FailsTheTryKeepingItsData()
    {
        var run = Run("run-1", Claimed());
        run.Steps["gone"] = Claimed();

        var transition = StepTransition.After(Workflow, run, "gone", StepOutcome.Returned(new StepResult(Data(("k", "v")))), Now, NextToken);

        Assert.Equal(StepTransitionKind.FailedTry, transition.Kind);
        Assert.Equal(StepStatus.Retrying, transition.Steps["gone"].Status);
        Assert.Equal(Data(("k", "v")), transition.Data);
        Assert.IsType<KeyNotFoundException>(transition.Error);
    }

    [Fact]
    public void Claim_MarksTheStepRunningForTheMessageAndContinuesAFailedRun()
    {
        var run = Run("run-1", new StepState(StepStatus.Failed, Token, Attempts: 1, Error: "boom"));
        run.Status = RunStatus.Failed;

        var transition = StepTransition.Claim(run, "b", "m1", ClaimedAt);

        var claimed = new StepState(StepStatus.Running, Token, 2, ClaimedAt, Error: "boom", ClaimedBy: "m1", ClaimedAt: ClaimedAt);
        Assert.Equivalent(new StepTransition(StepTransitionKind.Claimed, 2, One("b", claimed), RunStatus.Running), transition, strict: true);
    }

    [Fact]
    public void ApplyTo_MergesDataWritesStepsAndSetsOnlyAGivenStatus()
    {
        var run = Run("run-1", Claimed());
        run.Data["kept"] = "1";
        run.Data["skip-c"] = "0";
        var transition = Completed(Ends(StepStatus.Completed), ("c", Queued())) with { Data = Data(("skip-c", "1")) };

        transition.ApplyTo(run);

        Assert.Equal(Data(("kept", "1"), ("skip-c", "1")), run.Data);
        Assert.Equal([StepStatus.Completed, StepStatus.Completed, StepStatus.Queued], run.Steps.Values.Select(s => s.Status));
        Assert.Equal(RunStatus.Running, run.Status);
        (transition with { RunStatus = RunStatus.Failed }).ApplyTo(run);
        Assert.Equal(RunStatus.Failed, run.Status);
    }

    private static StepState Claimed(IReadOnlyList<StepTry>? tries = null) =>
        new(StepStatus.Running, Token, Attempts: 2, StartedAt: ClaimedAt, ClaimedBy: "m1", ClaimedAt: ClaimedAt, Tries: tries);

    /// <summary>b as a try leaves it: claim cleared, finished now.</summary>
    private static StepState Ends(StepStatus status, string? error = null, IReadOnlyList<StepTry>? tries = null) =>
        new(status, Token, 2, ClaimedAt, Now, error, Tries: tries);

    private static StepState Queued() => new(StepStatus.Queued, NextToken);

    private static StepState Skipped(string? reason = null) => new(StepStatus.Skipped, FinishedAt: Now, Error: reason);

    private static FieldMiss Absent(string step) => FieldMiss.AbsentFrom($"{step}-field", "the call");

    private static StepTransition Completed(StepState step, params (string Name, StepState State)[] later)
    {
        var steps = One("b", step);
        foreach (var (name, state) in later)
        {
            steps[name] = state;
        }

        return new(StepTransitionKind.Completed, 2, steps);
    }

    private static StepTransition Deferred(int attempts, IReadOnlyList<StepTry> tries, string reason) => new(
        StepTransitionKind.Deferred,
        2,
        One("b", new StepState(StepStatus.Queued, Token, attempts, ClaimedAt, Now, reason, Tries: tries)),
        Send: new StepSend("b", Delay));

    private static StepTransition ForGood(string type, string message, params StepTry[] earlier) => new(
        StepTransitionKind.FailedForGood,
        2,
        One("b", new StepState(StepStatus.Failed, Token, 2, ClaimedAt, Now, $"{type}: {message}", Tries: [.. earlier, new StepTry(2, Now, message)])),
        RunStatus.Failed,
        Failing: new("b", RunFailure.StepFailed))
    {
        LastTry = true,
        PoisonReason = $"step 'b' failed for good: {message}",
    };

    /// <summary>A failed try before the host's last is <c>retrying</c>, its try recorded with the host's next try (issue 22: it read <c>failed</c>).</summary>
    private static StepTransition FailedTry(bool lastTry) => new(
        StepTransitionKind.FailedTry,
        2,
        One("b", new StepState(
            lastTry ? StepStatus.Failed : StepStatus.Retrying,
            Token,
            2,
            ClaimedAt,
            Now,
            "HttpRequestException: connection refused",
            Tries: [lastTry ? new StepTry(2, Now, "connection refused") : new StepTry(2, Now, "connection refused; try 5 of 5 in 00:00:30", Now + HostVisibilityTimeout)])),
        lastTry ? RunStatus.Failed : null,
        Failing: lastTry ? new("b", RunFailure.StepFailed) : null)
    {
        LastTry = lastTry,
    };

    private static readonly TimeSpan HostVisibilityTimeout = TimeSpan.FromSeconds(30);

    private static StepOutcome Threw(Exception error, long dequeueCount = 1) => StepOutcome.Threw(error, dequeueCount, maxDequeueCount: 5, HostVisibilityTimeout);

    private static Dictionary<string, StepState> One(string step, StepState state) => new(StringComparer.Ordinal) { [step] = state };

    private static Dictionary<string, string> Data(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static WorkflowStepDefinition Step(string name) => new(name, typeof(Noop), data =>
        data.ContainsKey($"absent-{name}") ? RuleVerdict.Missed(Absent(name)) : RuleVerdict.Of(!data.ContainsKey($"skip-{name}")));

    private static WorkflowRun Run(string runId, StepState b)
    {
        var run = new WorkflowRun { RunId = runId, CallId = runId.Split(':')[0], EventId = "evt_1", Status = RunStatus.Running };
        run.Steps["a"] = new StepState(StepStatus.Completed, "ta");
        run.Steps["b"] = b;
        return run;
    }

    private sealed class Noop : IWorkflowStep
    {
        public Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult(StepResult.Done);
    }
}
