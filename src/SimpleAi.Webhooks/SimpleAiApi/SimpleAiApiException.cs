namespace SimpleAi.Webhooks.SimpleAiApi;

/// <summary>The Simple AI API answered something the app cannot use; the message says what, never the key.</summary>
public sealed class SimpleAiApiException : Exception
{
    public SimpleAiApiException()
    {
    }

    public SimpleAiApiException(string message)
        : base(message)
    {
    }

    public SimpleAiApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SimpleAiApiException(string message, int? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    public int? StatusCode { get; }
}
