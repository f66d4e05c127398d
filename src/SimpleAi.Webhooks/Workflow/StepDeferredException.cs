namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// Not yet: try the step again after <see cref="Delay"/> (the runner re-queues its message, delayed, and counts
/// the try). A step that keeps deferring past its limit fails the run with <see cref="Exception.Message"/>.
/// </summary>
public sealed class StepDeferredException : Exception
{
    public StepDeferredException()
    {
    }

    public StepDeferredException(string message)
        : base(message)
    {
    }

    public StepDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StepDeferredException(string message, TimeSpan delay, int maxTries)
        : base(message)
    {
        Delay = delay;
        MaxTries = maxTries;
    }

    public TimeSpan Delay { get; }

    /// <summary>The try at which deferring gives up and fails the run.</summary>
    public int MaxTries { get; }
}
