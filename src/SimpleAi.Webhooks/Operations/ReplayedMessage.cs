namespace SimpleAi.Webhooks.Operations;

/// <summary>A poison message and where it goes back to; <see cref="Reason"/> is why the app poisoned it, when known.</summary>
public sealed record ReplayedMessage(string MessageId, string TargetQueue, string Text, string? CallId, string? Reason);
