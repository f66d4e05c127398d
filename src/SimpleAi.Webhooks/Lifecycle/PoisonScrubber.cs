using Azure.Storage.Queues;
using SimpleAi.Webhooks.Operations;

namespace SimpleAi.Webhooks.Lifecycle;

/// <summary>
/// Removes the messages of given calls (or holding given numbers) from every <c>&lt;queue&gt;-poison</c> queue (Storage
/// Queues): a poison message holds its call's id and, for a step, the run it carried, which may hold numbers and
/// answers. A message matches when its <c>call_id</c> is one of the calls, or its text holds one of the call ids or
/// numbers (E.164, with or without its <c>+</c>). Poison queues are small (what nobody could finish), so each pass
/// receives them whole; what does not match is given back at once. A scrub killed midway leaves the messages it held
/// invisible for <paramref name="lockFor"/> (the pass's lock): the next one, a day later, sees them again.
/// </summary>
/// <param name="queues">None on the Service Bus transport: its poison and dead-letter queues are not searched (docs/data.md).</param>
public class PoisonScrubber(QueueServiceClient? queues = null, TimeSpan? lockFor = null)
{
    /// <param name="dryRun">Only count what would go.</param>
    /// <returns>How many messages matched (and, unless a dry run, were removed).</returns>
    public virtual async Task<int> RemoveAsync(IReadOnlySet<string> callIds, IReadOnlyCollection<string> numbers, CancellationToken cancellationToken, bool dryRun = false)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        ArgumentNullException.ThrowIfNull(numbers);
        var needles = callIds.Concat(numbers).Concat(numbers.Select(n => n.TrimStart('+'))).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var removed = 0;
        if (queues is null)
        {
            return removed;
        }

        await foreach (var item in queues.GetQueuesAsync(prefix: null, cancellationToken: cancellationToken))
        {
            if (!item.Name.EndsWith("-poison", StringComparison.Ordinal))
            {
                continue;
            }

            await using var pass = new StoragePoisonPass(queues.GetQueueClient(item.Name), lockFor);
            while (await pass.ReceiveAsync(32, cancellationToken) is { Count: > 0 } batch)
            {
                foreach (var message in batch)
                {
                    var text = pass.TextOf(message);
                    var read = ReplayedMessage.Read(item.Name, pass.IdOf(message), text);
                    if ((read.CallId is { } id && callIds.Contains(id)) || needles.Any(n => text.Contains(n, StringComparison.Ordinal)))
                    {
                        removed++;
                        if (!dryRun)
                        {
                            await pass.RemoveAsync(message, cancellationToken);
                            continue;
                        }
                    }

                    pass.Hold(message);
                }
            }
        }

        return removed;
    }
}
