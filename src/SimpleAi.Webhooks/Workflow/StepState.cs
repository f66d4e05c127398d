namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// What a run knows of one step. <see cref="Token"/> names the one message that drives the step: the hop before it
/// records the token in the run, then sends the message carrying it. A message with another token is a duplicate.
/// Copies of that one message (a send the SDK repeated, a replay) are told apart by the claim: the copy that runs
/// the step first records its queue message id in <see cref="ClaimedBy"/>, and another copy meeting a live claim
/// drops itself. <see cref="Tries"/> keeps the tries that did not complete (a deferral, a failure), for <c>status</c>.
/// <see cref="StartedAt"/> is the latest try's start, <see cref="FirstStartedAt"/> the first's (null in runs written
/// before it was kept, and for a step never tried).
/// </summary>
public sealed record StepState(
    StepStatus Status,
    string? Token = null,
    int Attempts = 0,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Error = null,
    string? ClaimedBy = null,
    DateTimeOffset? ClaimedAt = null,
    IReadOnlyList<StepTry>? Tries = null,
    DateTimeOffset? FirstStartedAt = null)
{
    /// <summary>Longest error text kept in the run row (Table properties are bounded; the logs keep the rest).</summary>
    public const int MaxErrorLength = 1000;

    public static StepState Queue() => new(StepStatus.Queued, Guid.NewGuid().ToString("N"));

    /// <summary>An error as the run keeps it: bounded in length.</summary>
    public static string Bounded(string error, int maxLength = MaxErrorLength)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Length <= maxLength ? error : string.Concat(error.AsSpan(0, maxLength - 1), "…");
    }
}

public enum StepStatus
{
    /// <summary>The previous hop recorded the step and its message's token, then sent the message.</summary>
    Queued,

    /// <summary>A copy of the step's message claimed it (<see cref="StepState.ClaimedBy"/>) and is running its side effect.</summary>
    Running,

    Completed,

    /// <summary>The step failed for good: on the host's last try, or with a failure no retry can fix; the run failed at it.</summary>
    Failed,
    Skipped,

    /// <summary>
    /// A try threw and the host tries the message again after its visibility timeout (<see cref="StepTry.NextAt"/>);
    /// on the host's last try a failure is <see cref="Failed"/> instead.
    /// </summary>
    Retrying,
}

/// <summary>
/// One try of a step that did not complete at once, as <c>status</c> shows it: when, what came back, and when the
/// next try is due (null when none follows).
/// </summary>
public sealed record StepTry(int Attempt, DateTimeOffset At, string Outcome, DateTimeOffset? NextAt = null)
{
    /// <summary>The most tries a step keeps (the latest ones); a run row stays small whatever the schedule.</summary>
    public const int MaxKept = 12;

    /// <summary>Longest outcome text kept per try.</summary>
    public const int MaxOutcomeLength = 200;

    /// <summary><paramref name="tries"/> with <paramref name="next"/> appended, keeping the latest <see cref="MaxKept"/>.</summary>
    public static IReadOnlyList<StepTry> Append(IReadOnlyList<StepTry>? tries, StepTry next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return [.. (tries ?? []).TakeLast(MaxKept - 1), next with { Outcome = StepState.Bounded(next.Outcome, MaxOutcomeLength) }];
    }
}
