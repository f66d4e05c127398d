using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// The Call view: the call's row, its transcript so far, deliveries, keyword triggers fired, its run's timeline and what
/// its pre-call answer told the agent (null when none was found).
/// </summary>
public sealed record CallDetail(
    CallRow? Call,
    string CallId,
    IReadOnlyList<TranscriptLineRecord>? Transcript,
    IReadOnlyList<DeliveryRecord> Deliveries,
    IReadOnlyList<TriggerFired> Triggers,
    RunTimeline? Run,
    string? TelemetryLink,
    PreCallSummary? PreCall = null);

/// <summary>A keyword trigger that fired on the call, and its single-step run's status.</summary>
public sealed record TriggerFired(string Name, string Step, string Status, DateTimeOffset CreatedAt);

/// <summary>A run's timeline: its status as a person reads it and each step in the order it started.</summary>
public sealed record RunTimeline(string RunId, string Status, DateTimeOffset CreatedAt, string EventId, IReadOnlyList<StepTimeline> Steps);

/// <summary>
/// One step of a run: its status now, the rule that decided it (<c>always</c> without conditions) and why it was skipped,
/// its tries, its error, and the host its action posts to (never the path, the query or a secret).
/// </summary>
public sealed record StepTimeline(
    string Step,
    string Status,
    string Rule,
    int Tries,
    DateTimeOffset? FirstStartedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? NextTryAt,
    string? Error,
    string? SkippedBecause,
    string? DestinationHost,
    string PoisonQueue,
    IReadOnlyList<TryTimeline> Attempts);

/// <summary>One try of a step.</summary>
public sealed record TryTimeline(int Attempt, DateTimeOffset At, string Outcome, DateTimeOffset? NextAt);
