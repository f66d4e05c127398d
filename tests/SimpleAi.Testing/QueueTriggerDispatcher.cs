using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using SimpleAi.Webhooks.Queues;

namespace SimpleAi.Testing;

/// <summary>
/// Plays the Functions host's part for Storage Queue triggers on real (Azurite) queues, for tests only: receives
/// a batch, invokes the handler, deletes the message on success; on failure makes it visible again after the
/// visibility timeout, and once it has been dequeued <c>maxDequeueCount</c> times moves its text to
/// <c>&lt;queue&gt;-poison</c>, as the host does.
/// </summary>
public sealed class QueueTriggerDispatcher(QueueServiceClient service, HostQueueSettings settings)
{
    private static readonly AsyncLocal<HandledMessage?> Current = new();

    private readonly Dictionary<string, Func<QueueMessage, CancellationToken, Task>> _handlers = new(StringComparer.Ordinal);

    /// <summary>The message the code running now was invoked for, or null outside a queue trigger (an HTTP function).</summary>
    public static HandledMessage? Handling => Current.Value;

    /// <summary>
    /// Chooses handled messages whose process "dies" after the function returned and before the host deleted the
    /// message: the message becomes visible again after the visibility timeout and is delivered once more.
    /// </summary>
    public Func<string, QueueMessage, bool> CrashBeforeDelete { get; set; } = (_, _) => false;

    private int _unsettled;

    /// <summary>Deletes and visibility updates that failed (the message is delivered again later).</summary>
    public int Unsettled => Volatile.Read(ref _unsettled);

    /// <summary>Failures seen, with the queue and the message's dequeue count, for tests to inspect.</summary>
    public List<(string Queue, long DequeueCount, Exception Error)> Failures { get; } = [];

    public QueueTriggerDispatcher On(string queue, Func<QueueMessage, CancellationToken, Task> handler)
    {
        _handlers[queue] = handler;
        return this;
    }

    /// <summary>One receive batch on every registered queue; returns how many messages were invoked.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var invoked = 0;
        foreach (var (name, handler) in _handlers)
        {
            var queue = service.GetQueueClient(name);
            Azure.Storage.Queues.Models.QueueMessage[] batch;
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                batch = (await queue.ReceiveMessagesAsync(settings.BatchSize, settings.VisibilityTimeout + TimeSpan.FromMinutes(1), cancellationToken)).Value;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or AggregateException)
            {
                // The host rides out a storage hiccup while polling; so does its stand-in.
                continue;
            }

            await Task.WhenAll(batch.Select(message => DispatchAsync(queue, handler, message, cancellationToken)));
            invoked += batch.Length;
        }

        return invoked;
    }

    /// <summary>Dispatches until every registered queue is empty (retries included), or throws at the deadline.</summary>
    public async Task RunUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (await RunOnceAsync(deadline.Token) == 0)
                {
                    if (await AllEmptyAsync(deadline.Token))
                    {
                        return;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The queues were not idle after {timeout.TotalSeconds:F0} s: {await DescribeAsync()}");
        }
    }

    /// <summary>What is left in each queue, the settles that failed and the last failures, for a timeout's message.</summary>
    private async Task<string> DescribeAsync()
    {
        var left = new List<string>();
        foreach (var name in _handlers.Keys)
        {
            var count = (await service.GetQueueClient(name).GetPropertiesAsync()).Value.ApproximateMessagesCount;
            if (count > 0)
            {
                left.Add($"{name}: {count}");
            }
        }

        List<string> failures;
        lock (Failures)
        {
            failures = Failures.TakeLast(5).Select(f => $"{f.Queue} try {f.DequeueCount}: {f.Error.GetType().Name}: {f.Error.Message}").ToList();
        }

        return $"left [{string.Join(", ", left)}]; unsettled deletes/updates {Unsettled}; last failures [{string.Join(" | ", failures)}]";
    }

    private async Task<bool> AllEmptyAsync(CancellationToken cancellationToken)
    {
        foreach (var name in _handlers.Keys)
        {
            var properties = await service.GetQueueClient(name).GetPropertiesAsync(cancellationToken);
            if (properties.Value.ApproximateMessagesCount > 0)
            {
                return false;
            }
        }

        return true;
    }

    private async Task DispatchAsync(
        QueueClient queue, Func<QueueMessage, CancellationToken, Task> handler, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            Current.Value = new HandledMessage(queue.Name, message.MessageId, message.DequeueCount);
            await handler(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lock (Failures)
            {
                Failures.Add((queue.Name, message.DequeueCount, e));
            }

            await SettleAsync(async () =>
            {
                if (message.DequeueCount >= settings.MaxDequeueCount)
                {
                    var poison = service.GetQueueClient(QueueNames.PoisonOf(queue.Name));
                    await poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                    await poison.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: cancellationToken);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                }
                else
                {
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: cancellationToken);
                }
            });
            return;
        }

        finally
        {
            Current.Value = null;
        }

        if (CrashBeforeDelete(queue.Name, message))
        {
            await SettleAsync(() => queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: cancellationToken));
            return;
        }

        await SettleAsync(() => queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken));
    }

    /// <summary>
    /// A message whose invisibility ran out while it was handled has been received again (new pop receipt), or
    /// storage did not answer the delete in time: the host then logs, moves on, and the message is simply delivered
    /// again once its invisibility runs out.
    /// </summary>
    private async Task SettleAsync(Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException)
        {
            Interlocked.Increment(ref _unsettled);
        }
    }
}
