namespace SimpleAi.LocalHost;

/// <summary>A function invocation that threw: the function, its queue and the message's dequeue count (queue triggers), and the error.</summary>
public sealed record InvocationFailure(string Function, string? Queue, long DequeueCount, Exception Error)
{
    public override string ToString() =>
        $"{Queue ?? Function} try {DequeueCount}: {Error.GetType().Name}: {Error.Message}";
}
