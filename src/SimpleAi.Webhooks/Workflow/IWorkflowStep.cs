namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// One step of the post-call workflow: its side effect. Throw to fail (the host retries, then poisons). A step may
/// run more than once after a crash: carry <see cref="StepContext.IdempotencyKey"/> on every side effect.
/// </summary>
public interface IWorkflowStep
{
    Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}

/// <summary>What a step gets to do its work.</summary>
/// <param name="IdempotencyKey"><c>{call_id}:{step}</c>: send it with every side effect so a receiver can drop a repeat.</param>
/// <param name="Attempt">1 for the first try; a step may run again after a crash or a failure.</param>
public sealed record StepContext(
    string RunId,
    string CallId,
    string EventId,
    string Step,
    IReadOnlyDictionary<string, string> Data,
    int Attempt,
    string IdempotencyKey);

/// <summary>A step's outcome: values to merge into the run's data, which later conditions can read.</summary>
public sealed record StepResult(IReadOnlyDictionary<string, string>? Data = null)
{
    public static StepResult Done { get; } = new();

    /// <summary>Why the step did nothing (it is recorded skipped, the run goes on); null when it did its work.</summary>
    public string? SkippedBecause { get; init; }

    public static StepResult Skip(string reason) => new() { SkippedBecause = reason };
}

/// <summary>
/// A failure no retry can fix (the endpoint refused the document with a 4xx, the API's answer is not a call): the
/// runner fails the step and the run with this reason and moves the message to the poison queue without retries.
/// </summary>
public sealed class PermanentStepFailureException : Exception
{
    public PermanentStepFailureException()
    {
    }

    public PermanentStepFailureException(string message)
        : base(message)
    {
    }

    public PermanentStepFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Not yet: try the step again after <see cref="Delay"/> (the runner re-queues its message, delayed). A deferral
/// that <see cref="SpendsTry"/> counts the try, and a step that keeps deferring past <see cref="MaxTries"/> fails
/// the run with <see cref="Exception.Message"/>; a wait (<see cref="Wait"/>) gives the try back: the step did not
/// get to act (a rate limit, a paused destination).
/// </summary>
public sealed class StepDeferredException : Exception
{
    public StepDeferredException()
    {
    }

    public StepDeferredException(string message)
        : base(message)
    {
    }

    public StepDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StepDeferredException(string message, TimeSpan delay, int maxTries)
        : base(message)
    {
        Delay = delay;
        MaxTries = maxTries;
        SpendsTry = true;
        Recorded = true;
    }

    public TimeSpan Delay { get; }

    /// <summary>The try at which deferring gives up and fails the run.</summary>
    public int MaxTries { get; }

    /// <summary>The try counts toward <see cref="MaxTries"/>; false for a <see cref="Wait"/>.</summary>
    public bool SpendsTry { get; private init; }

    /// <summary>The runner keeps the deferral in the step's tries (always, for one that <see cref="SpendsTry"/>).</summary>
    public bool Recorded { get; private init; }

    /// <summary>
    /// Try again after <paramref name="delay"/> without counting this try: the step did not act, or what it did is
    /// not held against it (a failure that paused its destination: <paramref name="recorded"/>, kept in its tries).
    /// </summary>
    public static StepDeferredException Wait(string reason, TimeSpan delay, bool recorded = false) =>
        new(reason, delay, int.MaxValue) { SpendsTry = false, Recorded = recorded };
}
