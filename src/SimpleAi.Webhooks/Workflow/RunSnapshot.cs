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
    string Status,
    string Steps,
    string Data,
    DateTimeOffset CreatedAt,
    string? StartedBy = null);
