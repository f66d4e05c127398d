using Microsoft.Azure.Functions.Worker;
using SimpleAi.Functions.Workflow;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions;

/// <summary>The <c>transcript-fetch</c> queue: a due, coalesced fetch of one call's transcript (see <see cref="TranscriptFetcher"/>).</summary>
public sealed class TranscriptFetch(TranscriptFetcher fetcher, QueueTry tries)
{
    [Function(nameof(TranscriptFetch))]
    public Task Run(
        [QueueMessageTrigger(QueueNames.TranscriptFetch, Connection = FunctionsBuild.QueueConnection)] string message,
        FunctionContext context) =>
        tries.RunAsync(QueueNames.TranscriptFetch, message, context, (_, cancellationToken) =>
            fetcher.FetchAsync(message, cancellationToken));
}
