using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// A pass over a Storage <c>&lt;queue&gt;-poison</c> queue. A received message stays invisible for the pass's lock (<see cref="DefaultLock"/>);
/// a pass slower than that receives messages it holds again, with new receipts: it then has come round the queue, and
/// ends. Whatever the host poisoned, it gave up for <see cref="PoisonBookkeeping.HostGaveUp"/>.
/// </summary>
/// <param name="lockFor">How long a received message stays invisible (<see cref="DefaultLock"/> unless said).</param>
public sealed class StoragePoisonPass(QueueClient source, TimeSpan? lockFor = null) : IGivenUpPass<QueueMessage>
{
    public static readonly TimeSpan DefaultLock = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _lock = lockFor ?? DefaultLock;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Held message ids and their newest receipts (an older receipt no longer gives the message back).</summary>
    private readonly Dictionary<string, string> _held = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<QueueMessage>> ReceiveAsync(int count, CancellationToken cancellationToken)
    {
        var batch = (await source.ReceiveMessagesAsync(count, _lock, cancellationToken)).Value;
        if (batch.Any(message => _seen.Contains(message.MessageId)))
        {
            // Round the whole queue: give these back too, with the receipts they have now.
            Array.ForEach(batch, Hold);
            return [];
        }

        _seen.UnionWith(batch.Select(message => message.MessageId));
        return batch;
    }

    public string IdOf(QueueMessage message) => message.MessageId;

    public string TextOf(QueueMessage message) => message.MessageText;

    public string ReasonOf(QueueMessage message) => PoisonBookkeeping.HostGaveUp;

    public Task RemoveAsync(QueueMessage message, CancellationToken cancellationToken) =>
        source.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);

    public void Hold(QueueMessage message) => _held[message.MessageId] = message.PopReceipt;

    public async ValueTask DisposeAsync()
    {
        foreach (var (id, receipt) in _held)
        {
            try
            {
                await source.UpdateMessageAsync(id, receipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 400)
            {
                // Replayed (deleted) meanwhile.
            }
        }

        _held.Clear();
    }
}
