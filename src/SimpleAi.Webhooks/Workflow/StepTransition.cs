using System.Collections.ObjectModel;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// The step protocol as data: how one try changes the run (step states, data, run status) and what follows (a send,
/// a move to the poison queue, a failed-runs count). Decided without storage, queue or clock by <see cref="Claim"/>
/// before the side effect and <see cref="After"/> after it; <see cref="StepRunner"/> applies it, saves and sends.
/// </summary>
/// <param name="Attempt">The step's try this transition ends (the attempts the claim counted).</param>
/// <param name="Steps">New states of steps, by name: the step itself, and the steps skipped, failed or queued after it.</param>
/// <param name="RunStatus">The run's new status; null leaves it as it is.</param>
/// <param name="Error">What the step threw; null otherwise.</param>
public sealed record StepTransition(
    StepTransitionKind Kind,
    int Attempt,
    IReadOnlyDictionary<string, StepState> Steps,
    RunStatus? RunStatus = null,
    StepSend? Send = null,
    RunFailure? Failing = null,
    Exception? Error = null)
{
    /// <summary>Values the step returned, merged into the run's data.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The host gives the message no further try (a failed try's log says so).</summary>
    public bool LastTry { get; init; }

    /// <summary>Why the message goes to the poison queue after the save; null when it does not.</summary>
    public string? PoisonReason { get; init; }

    /// <summary>The later steps skipped because a field their condition reads is absent or unusable (the runner counts them).</summary>
    public IReadOnlyList<SkippedStep> SkippedForFields { get; init; } = [];

    /// <summary>
    /// Marks the step running for this queue message and counts the try. A replayed step continues a run that was
    /// marked failed.
    /// </summary>
    public static StepTransition Claim(WorkflowRun run, string step, string queueMessageId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var state = run.Steps[step];
        var claimed = state with
        {
            Status = StepStatus.Running,
            Attempts = state.Attempts + 1,
            StartedAt = now,
            // A run written before first starts were kept knows the first start only when the step had one try.
            FirstStartedAt = state.FirstStartedAt ?? (state.Attempts == 0 ? now : state.Attempts == 1 ? state.StartedAt : null),
            ClaimedBy = queueMessageId,
            ClaimedAt = now,
        };
        return new(StepTransitionKind.Claimed, claimed.Attempts, One(step, claimed), Workflow.RunStatus.Running);
    }

    /// <summary>What the try of <paramref name="step"/>, claimed in <paramref name="run"/>, comes to.</summary>
    /// <param name="nextToken">The token of the next step's message, if one is queued.</param>
    public static StepTransition After(
        WorkflowDefinition workflow, WorkflowRun run, string step, StepOutcome outcome, DateTimeOffset now, string nextToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outcome);
        var state = run.Steps[step];
        return outcome.Error switch
        {
            null => Completed(workflow, run, step, outcome, now, nextToken),
            StepDeferredException deferral when state.Attempts < deferral.MaxTries => Deferred(step, state, deferral, now),

            // No retry can fix it: a refusal, an answer that is not a call, a step that deferred past its tries.
            PermanentStepFailureException or StepDeferredException => Failed(step, state, outcome.Error, lastTry: true, null, now) with
            {
                Kind = StepTransitionKind.FailedForGood,
                PoisonReason = $"step '{step}' failed for good: {outcome.Error.Message}",
            },
            _ => Failed(step, state, outcome.Error, outcome.LastTry, outcome.Retry, now),
        };
    }

    /// <summary>Writes the transition into the run (data, step states, status); the caller saves it.</summary>
    public void ApplyTo(WorkflowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        foreach (var (key, value) in Data)
        {
            run.Data[key] = value;
        }

        foreach (var (name, state) in Steps)
        {
            run.Steps[name] = state;
        }

        run.Status = RunStatus ?? run.Status;
    }

    /// <summary>
    /// Records completion and the step's data, skips what does not apply (a step whose condition reads a field the
    /// data lacks, with that reason), and queues the next step's token.
    /// </summary>
    private static StepTransition Completed(
        WorkflowDefinition workflow, WorkflowRun run, string step, StepOutcome outcome, DateTimeOffset now, string nextToken)
    {
        var (state, result) = (run.Steps[step], outcome.Result ?? StepResult.Done);
        IReadOnlyDictionary<string, string> returned = result.Data is { Count: > 0 } data
            ? new Dictionary<string, string>(data, StringComparer.Ordinal)
            : ReadOnlyDictionary<string, string>.Empty;
        var steps = One(step, state with
        {
            Status = result.SkippedBecause is null ? StepStatus.Completed : StepStatus.Skipped,
            StartedAt = state.StartedAt ?? now,
            FinishedAt = now,
            Error = result.SkippedBecause,
            ClaimedBy = null,
            ClaimedAt = null,
            Tries = state.Tries is null ? null : StepTry.Append(state.Tries, new StepTry(state.Attempts, now, result.SkippedBecause ?? "completed")),
        });
        var done = new StepTransition(StepTransitionKind.Completed, state.Attempts, steps) { Data = returned };
        try
        {
            var route = run.IsSingleStep ? StepRoute.End : workflow.After(step, returned.Count == 0 ? run.Data : Merged(run.Data, returned));
            Skip(steps, route.Skipped, now);
            var after = done with { SkippedForFields = [.. route.Skipped.Where(s => s.Miss is not null)] };
            if (route.Next is not { } next)
            {
                return after with { RunStatus = Workflow.RunStatus.Completed };
            }

            steps[next] = new StepState(StepStatus.Queued, nextToken);
            return after with { Send = new StepSend(next) };
        }
        catch (Exception e)
        {
            // What comes next cannot be worked out at all (the workflow no longer has this step): the try failed.
            return Failed(step, state, e, outcome.LastTry, outcome.Retry, now) with { Data = returned };
        }
    }

    /// <summary>
    /// Counts the try (or gives it back, for a wait) and records it, then queues the same message again (same token),
    /// invisible for the step's delay.
    /// </summary>
    private static StepTransition Deferred(string step, StepState state, StepDeferredException deferral, DateTimeOffset now)
    {
        var attempt = state.Attempts;
        var deferred = state with
        {
            Status = StepStatus.Queued,
            Attempts = deferral.SpendsTry ? attempt : attempt - 1,
            FinishedAt = now,
            Error = StepState.Bounded(deferral.Message),
            ClaimedBy = null,
            ClaimedAt = null,
            Tries = deferral.Recorded ? StepTry.Append(state.Tries, new StepTry(attempt, now, deferral.Message, now + deferral.Delay)) : state.Tries,
        };
        return new(StepTransitionKind.Deferred, attempt, One(step, deferred), Send: new StepSend(step, deferral.Delay), Error: deferral);
    }

    /// <summary>
    /// Records the failed try and, on the host's last try, fails the run; before it the step is retrying, its try
    /// recorded with the host's next try (<paramref name="retry"/>: its number, of how many, and when).
    /// </summary>
    private static StepTransition Failed(string step, StepState state, Exception error, bool lastTry, HostRetry? retry, DateTimeOffset now)
    {
        var attempt = state.Attempts;
        var next = lastTry ? null : retry;
        var failed = state with
        {
            Status = next is null && lastTry ? StepStatus.Failed : StepStatus.Retrying,
            Attempts = attempt,
            FinishedAt = now,
            Error = StepState.Bounded($"{error.GetType().Name}: {error.Message}"),
            ClaimedBy = null,
            ClaimedAt = null,
            Tries = StepTry.Append(state.Tries, next is null
                ? new StepTry(attempt, now, error.Message)
                : new StepTry(attempt, now, $"{error.Message}; try {next.Next} of {next.Of} in {next.After:hh\\:mm\\:ss}", now + next.After)),
        };
        return new(
            StepTransitionKind.FailedTry,
            attempt,
            One(step, failed),
            lastTry ? Workflow.RunStatus.Failed : null,
            Failing: lastTry ? new(step, RunFailure.StepFailed) : null,
            Error: error)
        {
            LastTry = lastTry,
        };
    }

    private static Dictionary<string, StepState> One(string step, StepState state) => new(StringComparer.Ordinal) { [step] = state };

    private static void Skip(Dictionary<string, StepState> steps, IEnumerable<SkippedStep> skipped, DateTimeOffset now)
    {
        foreach (var skip in skipped)
        {
            steps[skip.Step] = skip.State(now);
        }
    }

    private static Dictionary<string, string> Merged(IReadOnlyDictionary<string, string> data, IReadOnlyDictionary<string, string> returned) =>
        new(data.Where(pair => !returned.ContainsKey(pair.Key)).Concat(returned), StringComparer.Ordinal);
}

/// <summary>Which change of a step's state a <see cref="StepTransition"/> is; the runner's I/O follows from it.</summary>
public enum StepTransitionKind
{
    /// <summary>A copy of the step's message takes the step (a conditional write); then it runs the side effect.</summary>
    Claimed,

    /// <summary>The step did its work or skipped itself: save, then send the next step if there is one.</summary>
    Completed,

    /// <summary>Not yet: save, then send the same step again, delayed.</summary>
    Deferred,

    /// <summary>The try failed: record it (best effort), then rethrow so the host retries or poisons the message.</summary>
    FailedTry,

    /// <summary>No retry can fix it: record it (best effort), fail the run and move the message to the poison queue.</summary>
    FailedForGood,
}

/// <summary>The step message to send after a transition is saved: the next step, or the same one again after <see cref="Delay"/>.</summary>
public sealed record StepSend(string Step, TimeSpan? Delay = null);

/// <summary>
/// What one try of a step came to: the handler's result, or what it threw, and whether the host gives the message no
/// further try (<see cref="LastTry"/>, when its dequeue count reached the host's limit), else when it tries next
/// (<see cref="HostRetry"/>).
/// </summary>
public sealed record StepOutcome(StepResult? Result, Exception? Error = null, bool LastTry = false)
{
    /// <summary>A failed try the host tries again: its next try's number, of how many, and after how long.</summary>
    public HostRetry? Retry { get; init; }

    public static StepOutcome Returned(StepResult result) => new(result);

    /// <param name="dequeueCount">The host's try number of the message.</param>
    /// <param name="maxDequeueCount">The host's <c>maxDequeueCount</c>: at it, the host poisons a failed message.</param>
    /// <param name="visibilityTimeout">The host's wait before it tries a failed message again.</param>
    public static StepOutcome Threw(Exception error, long dequeueCount, int maxDequeueCount, TimeSpan visibilityTimeout = default) =>
        new(null, error, dequeueCount >= maxDequeueCount)
        {
            Retry = dequeueCount >= maxDequeueCount ? null : new HostRetry(dequeueCount + 1, maxDequeueCount, visibilityTimeout),
        };
}

/// <summary>The host's next try of a failed message: try <paramref name="Next"/> of <paramref name="Of"/>, <paramref name="After"/> from now.</summary>
public sealed record HostRetry(long Next, int Of, TimeSpan After);

/// <summary>A run fails at <see cref="Step"/>: the failed-runs metric counts it with <see cref="Cause"/> (unless it had failed already).</summary>
public sealed record RunFailure(string Step, string Cause)
{
    /// <summary>The step failed on its last try, or for good.</summary>
    public const string StepFailed = "step_failed";
}
