namespace SimpleAi.Webhooks.Workflow;

/// <summary>Another message holds the step's lease: throw so the host delivers this one again later.</summary>
public sealed class StepBusyException : Exception
{
    public StepBusyException()
    {
    }

    public StepBusyException(string message)
        : base(message)
    {
    }

    public StepBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
