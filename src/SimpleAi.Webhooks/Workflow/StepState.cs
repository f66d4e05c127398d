namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// What a run knows of one step. A running step holds a lease: the queue message that claimed it
/// (<see cref="LeaseHolder"/>) until <see cref="LeaseUntil"/>, so a concurrent duplicate cannot run it too.
/// </summary>
public sealed record StepState(
    StepStatus Status,
    int Attempts,
    string? LeaseHolder = null,
    DateTimeOffset? LeaseUntil = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Error = null);
