namespace SimpleAi.Webhooks.Console;

/// <summary>
/// A replay asked for in the console: one poison queue (one step's failures) or every poison queue, all of its messages
/// or one call's (<c>replay --where call_id=</c>). Without <see cref="Confirm"/> nothing moves: the answer says how
/// many messages would.
/// </summary>
public sealed record ReplayRequest(string? Queue, string? CallId, bool Confirm);

/// <summary>What a replay moved (or would move), per poison queue.</summary>
public sealed record ReplayResult(bool Moved, int Count, IReadOnlyList<ReplayedQueue> Queues);

/// <summary>One poison queue's share of a <see cref="ReplayResult"/>.</summary>
public sealed record ReplayedQueue(string PoisonQueue, string TargetQueue, int Count);
