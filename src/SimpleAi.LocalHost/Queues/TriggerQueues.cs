using Azure;
using Azure.Storage.Queues;

namespace SimpleAi.LocalHost.Queues;

/// <summary>
/// The queues the queue-triggered functions listen on, and what each holds (the approximate count: invisible messages
/// count too, so a message being handled or waiting for a retry keeps its queue non-empty).
/// </summary>
internal sealed class TriggerQueues(IReadOnlyDictionary<string, QueueClient> queues)
{
    public IReadOnlyCollection<string> Names => [.. queues.Keys];

    /// <summary>True when every queue is empty; false at the first that holds a message or cannot be read.</summary>
    public async Task<bool> AllEmptyAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in queues.Values)
        {
            try
            {
                if ((await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount > 0)
                {
                    return false;
                }
            }
            catch (RequestFailedException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>name: count</c> for each queue that holds messages, <c>name: unknown (status)</c> for one that cannot be read.</summary>
    public async Task<IReadOnlyList<string>> LeftAsync()
    {
        var left = new List<string>();
        foreach (var (name, queue) in queues)
        {
            try
            {
                var count = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
                if (count > 0)
                {
                    left.Add($"{name}: {count}");
                }
            }
            catch (RequestFailedException e)
            {
                left.Add($"{name}: unknown ({e.Status})");
            }
        }

        return left;
    }
}
