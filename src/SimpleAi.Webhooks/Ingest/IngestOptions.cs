using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.Ingest;

/// <summary>Settings of the webhook receiver (section <c>Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest body accepted; a bigger one gets 413 before it is read. Simple AI's bodies are tiny.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Seconds the sender is asked to wait (<c>Retry-After</c>) when the queue is unavailable.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 10;
}
