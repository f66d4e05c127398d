namespace SimpleAi.Testing;

/// <summary>A queue message being handled by the dispatcher, with a count of the storage requests made for it so far.</summary>
public sealed class HandledMessage(string queue, string messageId, long dequeueCount)
{
    private int _operations;

    public string Queue { get; } = queue;

    public string MessageId { get; } = messageId;

    public long DequeueCount { get; } = dequeueCount;

    /// <summary>How many storage requests were made for this handling so far (including the one being made).</summary>
    public int Operations => Volatile.Read(ref _operations);

    /// <summary>Counts one more storage request made while handling this message; returns its 1-based number.</summary>
    public int NextOperation() => Interlocked.Increment(ref _operations);
}
