using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Webhooks.Operations;

/// <summary>
/// Service Bus: the broker would redeliver an abandoned message at once, so all tries would happen within seconds.
/// Instead a failed try is re-sent as a copy scheduled the host's <see cref="HostRetryOptions.VisibilityTimeout"/> later, carrying
/// its delivery id and the tries spent (<see cref="ServiceBusRetries"/>), and the original is completed, as the Storage
/// host does with its visibility timeout. On the last try (<see cref="HostRetryOptions.MaxDequeueCount"/>) the work is
/// recorded as failed (<see cref="PoisonBookkeeping"/>) and the message goes to <c>&lt;queue&gt;-poison</c> with the
/// reason, where <c>replay</c> finds it. If the broker refuses the copy, the try goes back to the host (its error is thrown):
/// the message is abandoned and redelivered, and after <c>maxDeliveryCount</c> such deliveries the broker
/// dead-letters it (the sweep takes it in from there).
/// </summary>
public sealed partial class ServiceBusFailedTries(
    IQueueSender sender,
    PoisonQueue poison,
    PoisonBookkeeping bookkeeping,
    IOptions<HostRetryOptions> options,
    ILogger<ServiceBusFailedTries> logger) : IFailedTryHandler
{
    private readonly HostRetryOptions _options = options.Value;

    public async Task<FailedTryHandling> HandleAsync(FailedTry failed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        var (queue, text, delivery, error) = failed;
        try
        {
            if (delivery.DequeueCount < _options.MaxDequeueCount)
            {
                var delay = _options.VisibilityTimeout;
                await sender.SendAsync(RetryOf(failed) with { VisibleAfter = delay }, cancellationToken);
                LogRetrying(queue, delivery.MessageId, delivery.DequeueCount, _options.MaxDequeueCount, delay.TotalSeconds, error.GetType().Name);
                return FailedTryHandling.Settled;
            }

            var reason = $"failed on its last try ({delivery.DequeueCount} of {_options.MaxDequeueCount}): {error.GetType().Name}: {error.Message}";
            await bookkeeping.RecordAsync(queue, text, reason, cancellationToken);
            await poison.SendAsync(queue, text, reason, cancellationToken);
            WebhookTelemetry.Poisoned(queue, PoisonOrigin.App);
            LogGaveUp(queue, delivery.MessageId, delivery.DequeueCount);
            return FailedTryHandling.Settled;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCouldNotReschedule(e, queue, delivery.MessageId);
            return FailedTryHandling.HostRetries;
        }
    }

    /// <summary>
    /// The copy for the next try: the same body, a message id of its own (the <c>events</c> queue's duplicate
    /// detection would drop a copy under the original's id), the first delivery's id and the tries spent.
    /// </summary>
    internal static OutboundMessage RetryOf(FailedTry failed)
    {
        var (queue, text, delivery, _) = failed;
        var tries = delivery.DequeueCount.ToString(CultureInfo.InvariantCulture);
        return new OutboundMessage(
            queue,
            BinaryData.FromString(text),
            ServiceBusMessageIds.For($"{delivery.MessageId}:retry:{tries}"),
            "retry",
            new Dictionary<string, string>
            {
                [ServiceBusRetries.DeliveryIdProperty] = delivery.MessageId,
                [ServiceBusRetries.PriorTriesProperty] = tries,
            });
    }

    [LoggerMessage(1, LogLevel.Warning, "Try {Try} of {MaxTries} of message {MessageId} on {Queue} failed ({Error}): it runs again in {DelaySeconds} s")]
    private partial void LogRetrying(string queue, string messageId, long @try, int maxTries, double delaySeconds, string error);

    [LoggerMessage(2, LogLevel.Error, "Message {MessageId} on {Queue} failed on its last try {Try}: moved to its poison queue")]
    private partial void LogGaveUp(string queue, string messageId, long @try);

    [LoggerMessage(3, LogLevel.Error, "Could not re-send failed message {MessageId} on {Queue} for later: the host abandons it and the broker redelivers it")]
    private partial void LogCouldNotReschedule(Exception exception, string queue, string messageId);
}
