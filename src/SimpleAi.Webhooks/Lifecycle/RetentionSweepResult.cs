namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>What one retention sweep deleted: calls that started before <see cref="PurgedBefore"/>.</summary>
public sealed record RetentionSweepResult(DateTimeOffset PurgedBefore, int Calls, int Hours, int PoisonMessages);
