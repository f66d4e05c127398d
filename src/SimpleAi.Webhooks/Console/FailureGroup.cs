namespace SimpleAi.Webhooks.Console;

/// <summary>Failed runs of one step with one cause, newest first (their call ids and when each started).</summary>
public sealed record FailureGroup(string Step, string Cause, int Count, IReadOnlyList<FailedCall> Calls);

/// <summary>One failed run of a <see cref="FailureGroup"/>.</summary>
public sealed record FailedCall(string CallId, DateTimeOffset StartedAt, string? Error);

/// <summary>How many messages wait in one poison queue (null where the transport cannot say: Service Bus).</summary>
public sealed record PoisonDepth(string Queue, string PoisonQueue, int? Messages);

/// <summary>The Failures view: failed runs of the window grouped, and every poison queue's depth.</summary>
public sealed record FailuresReport(DateTimeOffset From, DateTimeOffset To, int Scanned, bool Truncated, IReadOnlyList<FailureGroup> Groups, IReadOnlyList<PoisonDepth> Poison);
