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
