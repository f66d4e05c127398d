using System.Text.Json.Serialization;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// A run as stored at one version (its ETag), in the form its row holds it, carried by the step message that version
/// queued: the step claims from it, with the ETag as the claim's condition, instead of reading the run first. Only a
/// claim trusts it (a changed run fails the claim with 412, and the step reads the run then); every other decision
/// is made from the run as read. Runs whose data does not fit in <see cref="RunStore.MaxSnapshotChars"/> carry none.
/// </summary>
public sealed record RunSnapshot(
    [property: JsonPropertyName("etag")] string ETag,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("steps")] string Steps,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_by")] string? StartedBy = null);
