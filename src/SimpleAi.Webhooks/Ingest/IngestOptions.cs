using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.Ingest;

/// <summary>Settings of the webhook receiver (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest body accepted; a bigger one gets 413 before it is read. Simple AI's bodies are tiny.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest body carried inside the queue message (base64 grows it by a third; Storage Queues take 64 KiB).
    /// A larger one goes to Blob Storage and the message carries its name.
    /// </summary>
    [Range(0, 45 * 1024)]
    public int MaxInlineBodyBytes { get; set; } = 40 * 1024;

    /// <summary>Seconds the sender is asked to wait (<c>Retry-After</c>) when the queue is unavailable.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 10;
}
