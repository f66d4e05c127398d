namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// What the retention sweep has done, without naming any call: calls that started before <see cref="PurgedBefore"/>
/// were purged by the sweep that began on <see cref="StartedOn"/> (finished on <see cref="FinishedOn"/>; null while it
/// has not).
/// </summary>
public sealed record PurgeWatermark(DateTimeOffset PurgedBefore, DateTimeOffset StartedOn, DateTimeOffset? FinishedOn, int Days);
