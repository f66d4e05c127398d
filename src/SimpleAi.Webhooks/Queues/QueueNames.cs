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

    /// <summary>Where the Storage Queues trigger moves a message after host.json's <c>maxDequeueCount</c>.</summary>
    public static string PoisonOf(string queue) => queue + "-poison";
}
