namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// What one try of a step came to: the handler's result, or what it threw, and whether the host gives the message no
/// further try (<see cref="LastTry"/>, when its dequeue count reached the host's limit).
/// </summary>
public sealed record StepOutcome(StepResult? Result, Exception? Error = null, bool LastTry = false)
{
    public static StepOutcome Returned(StepResult result) => new(result);

    /// <param name="dequeueCount">The host's try number of the message.</param>
    /// <param name="maxDequeueCount">The host's <c>maxDequeueCount</c>: at it, the host poisons a failed message.</param>
    public static StepOutcome Threw(Exception error, long dequeueCount, int maxDequeueCount) => new(null, error, dequeueCount >= maxDequeueCount);
}
