using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions;

/// <summary>
/// The queues that are not steps, one line each handing the message to its core service through <see cref="QueueInvocations"/>:
/// <c>events</c> (<c>RouteEvent</c>: dedupes each delivery and routes it, see <see cref="EventRouter"/>) and
/// <c>transcript-fetch</c> (<c>TranscriptFetch</c>: a due, coalesced fetch of one call's transcript, see <see cref="TranscriptFetcher"/>).
/// </summary>
public sealed class QueueFunctions(EventRouter router, TranscriptFetcher fetcher, QueueInvocations queues)
{
    [Function(nameof(RouteEvent))]
    public Task RouteEvent([QueueMessageTrigger(QueueNames.Events, Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context) =>
        queues.RunAsync(QueueNames.Events, message, context, (delivery, cancellationToken) => router.RouteAsync(message, delivery, cancellationToken));

    [Function(nameof(TranscriptFetch))]
    public Task TranscriptFetch([QueueMessageTrigger(QueueNames.TranscriptFetch, Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context) =>
        queues.RunAsync(QueueNames.TranscriptFetch, message, context, (delivery, cancellationToken) => fetcher.FetchAsync(message, delivery, cancellationToken));
}
