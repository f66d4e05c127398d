using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace SimpleAi.Webhooks.Workflow;

/// <summary>
/// The message on a step's queue: which run and step, the token the run recorded for it (see
/// <see cref="StepState.Token"/>), and the trace context. Never data: a step reads what it needs from the run
/// (small values, and references to blobs for anything large).
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
