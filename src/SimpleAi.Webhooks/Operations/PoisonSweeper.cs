using System.Collections.Concurrent;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// Looks after what the Functions host moves to <c>&lt;queue&gt;-poison</c> by itself: a message whose last try failed,
/// crashed or timed out. The host's copy is the original text with the default 7-day time-to-live, and the app may
/// never have seen its last try. For each such copy the sweep records what the message left undone and puts the app's
/// never-expiring wrapper in its place (<see cref="PoisonIntake"/>), so <c>replay</c> works on it after any delay. Run
/// by the <c>PoisonSweep</c> timer function (<see cref="WorkflowOptions.PoisonSweepScheduleSetting"/>). A poison queue
/// whose length has not changed since the last sweep holds only wrappers and costs one request.
/// </summary>
public sealed partial class PoisonSweeper(QueueServiceClient queues, PoisonIntake intake, ILogger<PoisonSweeper> logger) : IPoisonSweeper
{
    private readonly ConcurrentDictionary<string, int> _lengthAfterLastSweep = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Queues => intake.Queues;

    public async Task<int> SweepQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var source = queues.GetQueueClient(QueueNames.PoisonOf(queue));
        int length;
        try
        {
            length = (await source.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0;
        }

        if (length == 0 || _lengthAfterLastSweep.TryGetValue(queue, out var last) && last == length)
        {
            return 0;
        }

        int taken;
        await using (var pass = new StoragePoisonPass(source))
        {
            taken = await intake.TakeInAsync(queue, pass, message => LogTaken(source.Name, message.MessageId), cancellationToken);
        }

        _lengthAfterLastSweep[queue] = length;
        return taken;
    }

    [LoggerMessage(1, LogLevel.Warning, "Took in the host's poison copy {MessageId} on {PoisonQueue}: its work is recorded as failed and it never expires")]
    private partial void LogTaken(string poisonQueue, string messageId);
}

/// <summary>
/// Takes in the messages the transport gave up on by itself (the Storage host's poison copies, Service Bus
/// dead letters): records what they left undone and keeps them, as the app's wrapper, in <c>&lt;queue&gt;-poison</c>.
/// Run over all <see cref="Queues"/> by the <c>PoisonSweep</c> timer function (<see cref="PoisonSweeps.SweepAsync"/>).
/// </summary>
public interface IPoisonSweeper
{
    /// <summary>The work queues whose given-up messages are swept.</summary>
    IReadOnlyList<string> Queues { get; }

    /// <returns>How many messages of <paramref name="queue"/> were taken in.</returns>
    Task<int> SweepQueueAsync(string queue, CancellationToken cancellationToken);
}

public static class PoisonSweeps
{
    /// <summary>One sweep of every queue of <paramref name="sweeper"/>, one after the other.</summary>
    /// <returns>How many messages were taken in.</returns>
    public static async Task<int> SweepAsync(this IPoisonSweeper sweeper, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweeper);
        var taken = 0;
        foreach (var queue in sweeper.Queues)
        {
            taken += await sweeper.SweepQueueAsync(queue, cancellationToken);
        }

        return taken;
    }
}
