using Azure.Messaging.ServiceBus;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// <c>replay</c> on Service Bus (<see cref="ReplayLoop"/>): moves messages from a <c>&lt;queue&gt;-poison</c> queue (the
/// app's wrappers, unwrapped) or a dead-letter queue (<c>&lt;queue&gt;/$deadletterqueue</c>, as they are) back to their
/// queue. Each replayed message gets a message id of its own, so the <c>events</c> queue's duplicate detection does not
/// drop a replay of an event delivered within its window. A dry run only peeks (a peek does not count as a delivery).
/// </summary>
public sealed class ServiceBusPoisonReplay(ServiceBusClient client, PoisonBookkeeping bookkeeping)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    /// <param name="callId">Only messages for this call (their <c>call_id</c>).</param>
    /// <param name="gone">Why a message's call was purged or erased: such messages are refused (see <see cref="ReplayLoop"/>).</param>
    public async Task<IReadOnlyList<ReplayedMessage>> RunAsync(
        ReplaySource source, int max, bool dryRun, string? callId, CancellationToken cancellationToken,
        Func<ReplayedMessage, CancellationToken, Task<string?>>? gone = null, bool dropGone = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var receiver = client.CreateReceiver(
            source.Entity, new ServiceBusReceiverOptions { SubQueue = source.DeadLetters ? SubQueue.DeadLetter : SubQueue.None });
        var senders = new Dictionary<string, ServiceBusSender>(StringComparer.Ordinal);
        try
        {
            await using var pass = new ServiceBusGivenUpPass(receiver, source.DeadLetters, lookOnly: dryRun, MaxWait);
            return await ReplayLoop.RunAsync(
                pass, source.Entity, max, dryRun, callId, bookkeeping, (replay, ct) => SendBackAsync(senders, replay, ct), cancellationToken, gone, dropGone);
        }
        finally
        {
            foreach (var sender in senders.Values)
            {
                await sender.DisposeAsync();
            }
        }
    }

    private Task SendBackAsync(Dictionary<string, ServiceBusSender> senders, ReplayedMessage replay, CancellationToken cancellationToken)
    {
        if (!senders.TryGetValue(replay.TargetQueue, out var sender))
        {
            senders[replay.TargetQueue] = sender = client.CreateSender(replay.TargetQueue);
        }

        return sender.SendMessageAsync(
            new ServiceBusMessage(replay.Text) { MessageId = Guid.NewGuid().ToString("N"), Subject = "replay", ContentType = "application/json" },
            cancellationToken);
    }
}
