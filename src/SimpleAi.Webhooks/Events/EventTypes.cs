namespace SimpleAi.Webhooks.Events;

/// <summary>The Simple AI event types this app acts on. Any other type is accepted, queued and ignored.</summary>
public static class EventTypes
{
    public const string CallStarted = "call.started";
    public const string CallCompleted = "call.completed";
    public const string CallTranscriptUpdate = "call.transcript_update";

    /// <summary>The create-webhook API's spelling of <see cref="CallTranscriptUpdate"/>.</summary>
    public const string TranscriptUpdated = "transcript.updated";

    public static bool IsKnown(string eventType) => eventType is CallStarted or CallCompleted or CallTranscriptUpdate or TranscriptUpdated;
}
