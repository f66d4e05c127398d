namespace SimpleAi.Webhooks.Workflow;

/// <summary>A run was changed by another writer between our read and our write: retry from a fresh read.</summary>
public sealed class RunChangedException : Exception
{
    public RunChangedException()
    {
    }

    public RunChangedException(string message)
        : base(message)
    {
    }

    public RunChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunChangedException(string runId, Azure.RequestFailedException innerException)
        : base($"Run {runId} was changed by another writer.", innerException)
    {
    }
}
