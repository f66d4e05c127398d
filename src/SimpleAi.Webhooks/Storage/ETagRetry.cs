namespace SimpleAi.Webhooks.Storage;

/// <summary>
/// The one optimistic-concurrency loop: read a row, decide on it, write the decision conditionally on the ETag read; when
/// another writer changed the row in between, read again and decide again, at most a bounded number of rounds.
/// </summary>
public static class ETagRetry
{
    /// <param name="rounds">Reads (and writes) at most; after the last lost write <paramref name="exhausted"/> answers or throws.</param>
    /// <param name="read">Reads the row; it gets the round (1, 2, …), so round 1 may answer from a cache.</param>
    /// <param name="decide">The decision on the row read, without I/O.</param>
    /// <param name="write">Writes the change conditionally on the row read: false when another writer won (see <see cref="WonAsync"/>).</param>
    /// <param name="exhausted">The answer when every round's write lost, from the row last read (or an exception).</param>
    public static async Task<TResult> UpdateAsync<TRow, TChange, TResult>(
        int rounds,
        Func<int, CancellationToken, Task<TRow>> read,
        Func<TRow, ETagDecision<TChange, TResult>> decide,
        Func<TRow, TChange, CancellationToken, Task<bool>> write,
        Func<TRow, TResult> exhausted,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(exhausted);
        for (var round = 1; ; round++)
        {
            var row = await read(round, cancellationToken);
            var decision = decide(row);
            if (!decision.Writes || await write(row, decision.Change!, cancellationToken))
            {
                return decision.Result;
            }

            if (round == rounds)
            {
                return exhausted(row);
            }
        }
    }

    /// <summary>
    /// Awaits a conditional table write: false when another writer got there first (412 the row changed since it was
    /// read, 409 it was inserted meanwhile, and, when <paramref name="deletedLoses"/>, 404 it was deleted meanwhile).
    /// </summary>
    public static async Task<bool> WonAsync(Task write, bool deletedLoses = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            await write;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 || (deletedLoses && e.Status == 404 && e is not StorageResourceMissingException))
        {
            return false;
        }
    }
}
