namespace SimpleAi.Webhooks.Workflow;

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
