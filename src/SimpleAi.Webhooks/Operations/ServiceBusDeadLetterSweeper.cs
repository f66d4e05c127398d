using Azure.Messaging.ServiceBus;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// Looks after what the Service Bus broker dead-letters by itself (<c>&lt;queue&gt;/$DeadLetterQueue</c>): a message
/// whose lock was lost on <c>maxDeliveryCount</c> deliveries (the function crashed or timed out each time, so the app
/// never handled its last try) or that expired. For each, the sweep records what it left undone, with the broker's
/// reason, and puts the app's wrapper in <c>&lt;queue&gt;-poison</c> (<see cref="PoisonIntake"/>), next to the messages
/// the app gave up on itself, and completes the dead letter. An empty dead-letter queue costs one peek per sweep.
/// </summary>
public sealed partial class ServiceBusDeadLetterSweeper(
    ServiceBusClient client, PoisonIntake intake, ILogger<ServiceBusDeadLetterSweeper> logger) : IPoisonSweeper
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private static readonly ServiceBusReceiverOptions DeadLetters = new() { SubQueue = SubQueue.DeadLetter };

    public IReadOnlyList<string> Queues => intake.Queues;

    public async Task<int> SweepQueueAsync(string queue, CancellationToken cancellationToken)
    {
        await using var receiver = client.CreateReceiver(queue, DeadLetters);
        if (await receiver.PeekMessageAsync(cancellationToken: cancellationToken) is null)
        {
            return 0;
        }

        await using var pass = new ServiceBusGivenUpPass(receiver, deadLetters: true, lookOnly: false, MaxWait);
        return await intake.TakeInAsync(
            queue, pass, message => LogTaken(queue, message.MessageId, message.DeadLetterReason ?? "(none)"), cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Warning, "Took in dead letter {MessageId} of {Queue} ({DeadLetterReason}): its work is recorded as failed and it waits in the poison queue")]
    private partial void LogTaken(string queue, string messageId, string deadLetterReason);
}
