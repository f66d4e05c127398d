using System.Collections.Concurrent;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;
using SlotDecision = SimpleAi.Webhooks.Storage.ETagDecision<System.DateTimeOffset, System.DateTimeOffset>;

namespace SimpleAi.Webhooks.Destinations;

/// <summary>
/// Holds an action's deliveries to <c>Actions:&lt;step&gt;:MaxPerSecond</c> across every instance of the app. One row
/// per destination (table <see cref="TableNames.RateLimits"/>) keeps the time its next delivery may start (the
/// generic cell rate algorithm): a delivery takes the slot <c>max(next, now)</c> and moves <c>next</c> on by one
/// interval (1 / (rate × <see cref="Pacing"/>)) in one conditional write, then waits in process until its slot.
/// Slots are one interval apart whichever instance took them, so no second sees more than the rate, give or take
/// the jitter of sending and the instances' clock skew. A delivery whose slot would be more than <see cref="MaxWait"/> away takes none: it waits
/// in its queue (a wait, not a try) until about then, so a burst is delivered roughly in order of arrival.
/// </summary>
public sealed class DestinationRateLimiter(TableServiceClient tables, TimeProvider time)
{
    /// <summary>
    /// Deliveries are spaced at this share of the limit (18 a second for 20): what the receiver sees is the send time
    /// plus the transit and scheduling jitter of both ends, and this headroom keeps it within the limit for jitter up
    /// to two intervals (110 ms at 20 a second).
    /// </summary>
    public const double Pacing = 0.9;

    /// <summary>The longest a delivery waits for its slot in process (holding its queue message and a function slot).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    /// <summary>Slots missed in a row (woken too late to use them) before the delivery waits in its queue instead.</summary>
    private const int MaxMissed = 5;

    /// <summary>Conditional writes lost to other instances in a row before the delivery waits in its queue instead.</summary>
    private const int Rounds = 20;

    private readonly ConcurrentDictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    private TableClient Table => tables.GetTableClient(TableNames.RateLimits);

    /// <summary>
    /// Returns at this delivery's slot, within one interval of it (at once when <paramref name="maxPerSecond"/> is not
    /// set).
    /// </summary>
    /// <exception cref="StepDeferredException">A wait: the slot is further away than <see cref="MaxWait"/>.</exception>
    public async Task WaitTurnAsync(string destination, double? maxPerSecond, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (maxPerSecond is not { } rate || rate <= 0)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(1 / (rate * Pacing));
        for (var missed = 0; missed < MaxMissed; missed++)
        {
            var slot = await ReserveAsync(destination, interval, rate, cancellationToken);
            var wait = slot - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            // Woken late (a pause of the process: GC, a starved thread pool) the slot is gone: sending now would
            // bunch with the slots after it, so take another.
            if (time.GetUtcNow() - slot <= interval)
            {
                return;
            }
        }

        throw StepDeferredException.Wait($"{destination}: missed {MaxMissed} slots in a row (the process is too busy to keep time)", MaxWait);
    }

    /// <summary>Takes the next slot, one reservation at a time per destination in this process (so its version stays current).</summary>
    private async Task<DateTimeOffset> ReserveAsync(string destination, TimeSpan interval, double rate, CancellationToken cancellationToken)
    {
        var turn = _turns.GetOrAdd(destination, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        try
        {
            return await ETagRetry.UpdateAsync(
                Rounds,
                async (_, ct) => _rows.TryGetValue(destination, out var known) ? known : await ReadAsync(destination, ct),
                row =>
                {
                    var slot = SlotOf(destination, row, rate, time.GetUtcNow());
                    return SlotDecision.Write(slot, slot);
                },
                (row, slot, ct) => TryWriteAsync(destination, row, slot + interval, ct),
                _ => throw StepDeferredException.Wait($"{destination}: {Rounds} instances took its next slot first", MaxWait),
                cancellationToken);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>The next free slot by the row read: now, or the row's next; a deferral when that is over <see cref="MaxWait"/> away.</summary>
    private static DateTimeOffset SlotOf(string destination, Row row, double rate, DateTimeOffset now)
    {
        var slot = row.Next > now ? row.Next : now;
        if (slot - now > MaxWait)
        {
            // The row only moves forward: a slot this far away by an old read is at least as far by a new one.
            throw StepDeferredException.Wait(
                $"{destination} takes {rate:0.###} deliveries a second and has {slot - now:mm\\:ss} booked ahead",
                slot - now - MaxWait / 2);
        }

        return slot;
    }

    private async Task<Row> ReadAsync(string destination, CancellationToken cancellationToken)
    {
        var entity = await Table.FindAsync<TableEntity>(destination, destination, cancellationToken);
        return entity is null ? new Row(DateTimeOffset.MinValue, null) : new Row(new DateTimeOffset(entity.GetInt64("NextTicks") ?? 0, TimeSpan.Zero), entity.ETag);
    }

    /// <summary>Moves the row's next slot to <paramref name="next"/> if no other instance moved it since it was read.</summary>
    private async Task<bool> TryWriteAsync(string destination, Row row, DateTimeOffset next, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(destination, destination) { ["NextTicks"] = next.UtcTicks };
        try
        {
            var response = row.ETag is { } etag
                ? await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken)
                : await Table.AddEntityAsync(entity, cancellationToken);
            _rows[destination] = new Row(next, response.Headers.ETag);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            _rows.TryRemove(destination, out _);
            return false;
        }
    }

    private readonly record struct Row(DateTimeOffset Next, ETag? ETag);
}
