namespace SimpleAi.Webhooks.PostCall;

/// <summary>The API still reports the call as ongoing: the step fails this try and the host retries later.</summary>
public sealed class CallNotFinishedException : Exception
{
    public CallNotFinishedException()
    {
    }

    public CallNotFinishedException(string message)
        : base(message)
    {
    }

    public CallNotFinishedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
