using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// The message on a step's queue: which run and step, the token the run recorded for it (see
/// <see cref="StepState.Token"/>), the trace context, and, when the run is small enough, the run as it was stored when
/// the message was queued (<see cref="RunSnapshot"/>): it saves the step a read, and only a claim conditional on its
/// version acts on it. A run larger than that is read by the step (large data lives in blobs).
/// </summary>
public sealed record StepMessage(
    string RunId,
    string CallId,
    string EventId,
    string Step,
    string Token,
    [property: JsonPropertyName("traceparent")] string? TraceParent = null,
    [property: JsonPropertyName("tracestate")] string? TraceState = null,
    RunSnapshot? Run = null)
{
    public const int Version = 1;

    public int V { get; init; } = Version;

    public BinaryData Encode() => BinaryData.FromObjectAsJson(this, StepMessageJson.Options);

    public static bool TryDecode(
        string text,
        [NotNullWhen(true)] out StepMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        try
        {
            message = JsonSerializer.Deserialize<StepMessage>(text, StepMessageJson.Options);
        }
        catch (JsonException e)
        {
            error = "the message is not a step message: " + e.Message;
            return false;
        }

        error = message switch
        {
            null => "the message is JSON null",
            { V: not Version } => $"unsupported message version (expected v={Version})",
            _ when string.IsNullOrEmpty(message.RunId) => "'run_id' is required",
            _ when string.IsNullOrEmpty(message.CallId) => "'call_id' is required",
            _ when string.IsNullOrEmpty(message.EventId) => "'event_id' is required",
            _ when string.IsNullOrEmpty(message.Step) => "'step' is required",
            _ when string.IsNullOrEmpty(message.Token) => "'token' is required",
            _ => null,
        };
        if (error is not null)
        {
            message = null;
        }

        return error is null;
    }
}

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

/// <summary>
/// How a <see cref="StepMessage"/> is written and read: names are the snake_case of the properties (an attribute names
/// the few that are not), nulls are left out, and a constructor parameter without a default is required.
/// </summary>
internal static class StepMessageJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };
}
