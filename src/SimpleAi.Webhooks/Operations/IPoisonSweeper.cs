namespace SimpleAi.Webhooks.Operations;

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
