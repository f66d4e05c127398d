namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// Queue names shared by the senders, the Functions triggers, host.json, the Bicep templates and the tests that
/// hold them together.
/// </summary>
public static class QueueNames
{
    /// <summary>Raw, verified webhook deliveries, one message per accepted request.</summary>
    public const string Events = "events";

    /// <summary>Coalesced, delayed requests to fetch a call's transcript.</summary>
    public const string TranscriptFetch = "transcript-fetch";

    /// <summary>The queue of one post-call workflow step.</summary>
    public static string Step(string step) => "step-" + step;

    /// <summary>
    /// Where a message nobody can finish waits for <c>replay</c>: the Storage Queues trigger moves it there after host.json's
    /// <c>maxDequeueCount</c>; the app sends the ones it gives up on itself (both transports).
    /// </summary>
    public static string PoisonOf(string queue) => queue + "-poison";

    /// <summary>Every queue a function is triggered by: <c>events</c>, <c>transcript-fetch</c> and each step's.</summary>
    public static IReadOnlyList<string> WorkQueues(IEnumerable<string> steps) => [Events, TranscriptFetch, .. steps.Select(Step)];
}
