namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// A failure no retry can fix (the endpoint refused the document with a 4xx, the API's answer is not a call): the
/// runner fails the step and the run with this reason and moves the message to the poison queue without retries.
/// </summary>
public sealed class PermanentStepFailureException : Exception
{
    public PermanentStepFailureException()
    {
    }

    public PermanentStepFailureException(string message)
        : base(message)
    {
    }

    public PermanentStepFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
