using Microsoft.Azure.Functions.Worker;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions;

/// <summary>The <c>transcript-fetch</c> queue: a due, coalesced fetch of one call's transcript (see <see cref="TranscriptFetcher"/>).</summary>
public sealed class TranscriptFetch(TranscriptFetcher fetcher)
{
    [Function(nameof(TranscriptFetch))]
    public Task Run(
        [QueueMessageTrigger(QueueNames.TranscriptFetch, Connection = ConnectionNames.Storage)] string message,
        CancellationToken cancellationToken) =>
        fetcher.FetchAsync(message, cancellationToken);
}
