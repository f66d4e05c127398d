using Azure.Messaging.ServiceBus;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Telemetry;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// Looks after what the Service Bus broker dead-letters by itself (<c>&lt;queue&gt;/$DeadLetterQueue</c>): a message
/// whose lock was lost on <c>maxDeliveryCount</c> deliveries (the function crashed or timed out each time, so the app
/// never handled its last try) or that expired. For each, the sweep records what it left undone
/// (<see cref="PoisonBookkeeping"/>, with the broker's reason), puts the app's wrapper in <c>&lt;queue&gt;-poison</c>,
/// next to the messages the app gave up on itself, and completes the dead letter. An empty dead-letter queue costs one
/// peek per sweep.
/// </summary>
public sealed partial class ServiceBusDeadLetterSweeper(
    ServiceBusClient client,
    PoisonQueue poison,
    PoisonBookkeeping bookkeeping,
    WorkflowDefinition workflow,
    ILogger<ServiceBusDeadLetterSweeper> logger) : IPoisonSweeper
{
    /// <summary>Most dead letters taken in from one queue per sweep; the next sweep goes on.</summary>
    private const int MaxPerQueue = 1_000;

    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private static readonly ServiceBusReceiverOptions DeadLetters = new() { SubQueue = SubQueue.DeadLetter };

    /// <summary>The queues whose dead-letter queues are swept: <c>events</c>, <c>transcript-fetch</c> and every step's.</summary>
    public IReadOnlyList<string> Queues { get; } = QueueNames.WorkQueues(workflow.RegisteredSteps);

    public async Task<int> SweepQueueAsync(string queue, CancellationToken cancellationToken)
    {
        await using var receiver = client.CreateReceiver(queue, DeadLetters);
        if (await receiver.PeekMessageAsync(cancellationToken: cancellationToken) is null)
        {
            return 0;
        }

        var taken = 0;
        while (taken < MaxPerQueue)
        {
            var batch = await receiver.ReceiveMessagesAsync(Math.Min(32, MaxPerQueue - taken), MaxWait, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                var text = message.Body.ToString();
                var reason = ReasonOf(message);
                await bookkeeping.RecordAsync(queue, text, reason, cancellationToken);
                await poison.SendAsync(queue, text, reason, cancellationToken);
                await receiver.CompleteMessageAsync(message, cancellationToken);
                WebhookTelemetry.Poisoned(queue, PoisonOrigin.Host);
                LogTaken(queue, message.MessageId, message.DeadLetterReason ?? "(none)");
                taken++;
            }
        }

        return taken;
    }

    /// <summary>Why the broker gave the message up, in the words poison wrappers and failed runs use.</summary>
    public static string ReasonOf(ServiceBusReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"the broker dead-lettered the message after delivery {message.DeliveryCount} ({message.DeadLetterReason ?? "no reason"}: {message.DeadLetterErrorDescription ?? "no description"})";
    }

    [LoggerMessage(1, LogLevel.Warning, "Took in dead letter {MessageId} of {Queue} ({DeadLetterReason}): its work is recorded as failed and it waits in the poison queue")]
    private partial void LogTaken(string queue, string messageId, string deadLetterReason);
}
