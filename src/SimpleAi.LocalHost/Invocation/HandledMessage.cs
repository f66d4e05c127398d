namespace SimpleAi.LocalHost.Invocation;

/// <summary>
/// The queue message the code running now was invoked for (an async-local: it flows into everything the function
/// awaits), with a count of the storage requests made for it so far: for tests that inject faults at a chosen
/// request of a chosen handling.
/// </summary>
public sealed class HandledMessage(string queue, string messageId, long dequeueCount)
{
    private static readonly AsyncLocal<HandledMessage?> Slot = new();

    private int _operations;

    /// <summary>The message being handled by the code running now, or null outside a queue trigger (an HTTP function, a timer).</summary>
    public static HandledMessage? Current
    {
        get => Slot.Value;
        internal set => Slot.Value = value;
    }

    public string Queue { get; } = queue;

    public string MessageId { get; } = messageId;

    public long DequeueCount { get; } = dequeueCount;

    /// <summary>How many storage requests were made for this handling so far (including the one being made).</summary>
    public int Operations => Volatile.Read(ref _operations);

    /// <summary>Counts one more storage request made while handling this message; returns its 1-based number.</summary>
    public int NextOperation() => Interlocked.Increment(ref _operations);
}

/// <summary>A function invocation that threw: the function, its queue and the message's dequeue count (queue triggers), and the error.</summary>
public sealed record InvocationFailure(string Function, string? Queue, long DequeueCount, Exception Error)
{
    public override string ToString() =>
        $"{Queue ?? Function} try {DequeueCount}: {Error.GetType().Name}: {Error.Message}";
}
