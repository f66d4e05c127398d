namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// What one try of a step came to: the handler's result, or what it threw, and whether the host gives the message no
/// further try (<see cref="LastTry"/>, when its dequeue count reached the host's limit), else when it tries next
/// (<see cref="HostRetry"/>).
/// </summary>
public sealed record StepOutcome(StepResult? Result, Exception? Error = null, bool LastTry = false)
{
    /// <summary>A failed try the host tries again: its next try's number, of how many, and after how long.</summary>
    public HostRetry? Retry { get; init; }

    public static StepOutcome Returned(StepResult result) => new(result);

    /// <param name="dequeueCount">The host's try number of the message.</param>
    /// <param name="maxDequeueCount">The host's <c>maxDequeueCount</c>: at it, the host poisons a failed message.</param>
    /// <param name="visibilityTimeout">The host's wait before it tries a failed message again.</param>
    public static StepOutcome Threw(Exception error, long dequeueCount, int maxDequeueCount, TimeSpan visibilityTimeout = default) =>
        new(null, error, dequeueCount >= maxDequeueCount)
        {
            Retry = dequeueCount >= maxDequeueCount ? null : new HostRetry(dequeueCount + 1, maxDequeueCount, visibilityTimeout),
        };
}

/// <summary>The host's next try of a failed message: try <paramref name="Next"/> of <paramref name="Of"/>, <paramref name="After"/> from now.</summary>
public sealed record HostRetry(long Next, int Of, TimeSpan After);
