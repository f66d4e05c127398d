namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// One pass over a queue of messages the transport gave up on (a <c>&lt;queue&gt;-poison</c> queue, a Service Bus
/// dead-letter queue): the transport's side of both <c>replay</c> and the sweep. Messages come in batches under a lock;
/// each one handled is removed, each one only looked at is held, and disposing the pass gives back what it held,
/// visible at once, so one pass never takes a message twice and the next reader does not wait for it.
/// </summary>
public interface IGivenUpPass<TMessage> : IAsyncDisposable
{
    /// <returns>Up to <paramref name="count"/> messages; none when the queue is empty or the pass has come round it.</returns>
    Task<IReadOnlyList<TMessage>> ReceiveAsync(int count, CancellationToken cancellationToken);

    string IdOf(TMessage message);

    string TextOf(TMessage message);

    /// <summary>Why the transport gave the message up, in the words poison wrappers and failed runs use.</summary>
    string ReasonOf(TMessage message);

    Task RemoveAsync(TMessage message, CancellationToken cancellationToken);

    void Hold(TMessage message);
}
