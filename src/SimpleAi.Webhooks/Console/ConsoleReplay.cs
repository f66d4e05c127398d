using SimpleAi.Webhooks.Operations;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// Replay from the console: <see cref="PoisonReplay"/>, the code behind <c>simpleai-webhooks replay</c>, on the poison
/// queue asked for or on every poison queue the Failures view lists; a dry run first gives the count to confirm. Each
/// replay is logged with who asked for it. Storage Queues only: on Service Bus the console says to use the CLI.
/// </summary>
public sealed partial class ConsoleReplay(FailuresView failures, ILogger<ConsoleReplay> logger, PoisonReplay? replay = null)
{
    /// <summary>The most messages one replay moves from one queue.</summary>
    public const int MaxPerQueue = 1000;

    public bool Supported => replay is not null;

    public async Task<ReplayResult> RunAsync(ReplayRequest request, string who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (replay is null)
        {
            throw new InvalidOperationException("Replay from the console needs Storage Queues.");
        }

        var known = await failures.PoisonAsync(cancellationToken);
        var chosen = request.Queue is null
            ? known.Where(q => q.Messages is > 0).Select(q => q.PoisonQueue).ToList()
            : known.Any(q => q.PoisonQueue == request.Queue || q.Queue == request.Queue)
                ? [known.First(q => q.PoisonQueue == request.Queue || q.Queue == request.Queue).PoisonQueue]
                : throw new ArgumentException($"'{request.Queue}' is not one of the app's poison queues ({string.Join(", ", known.Select(q => q.PoisonQueue))}).");
        var queues = new List<ReplayedQueue>();
        foreach (var poison in chosen)
        {
            var moved = await replay.RunAsync(poison, MaxPerQueue, dryRun: !request.Confirm, request.CallId, cancellationToken);
            if (moved.Count > 0)
            {
                queues.Add(new ReplayedQueue(poison, moved[0].TargetQueue, moved.Count));
            }
        }

        var count = queues.Sum(q => q.Count);
        if (request.Confirm)
        {
            Replayed(logger, who, count, request.Queue ?? "every poison queue", request.CallId ?? "any");
        }

        return new ReplayResult(request.Confirm, count, queues);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console: {Who} replayed {Count} message(s) from {Queue} (call {CallId})")]
    private static partial void Replayed(ILogger logger, string who, int count, string queue, string callId);
}

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
