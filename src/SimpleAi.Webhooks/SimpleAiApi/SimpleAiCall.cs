using System.Text.Json.Serialization;

namespace SimpleAi.Webhooks.SimpleAiApi;

/// <summary>
/// A call as <c>GET /calls/{uuid}</c> returns it: the fields the workflow uses. Unknown fields are ignored;
/// <c>params</c>, <c>external_identifiers</c> and analyzer results stay JSON because their shapes are the customer's;
/// times keep the API's text next to their value (<see cref="ApiTimestamp"/>).
/// </summary>
public sealed record SimpleAiCall
{
    [JsonPropertyName("simple_uuid")] public string? SimpleUuid { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("direction")] public string? Direction { get; init; }
    [JsonPropertyName("from_number")] public string? FromNumber { get; init; }
    [JsonPropertyName("to_number")] public string? ToNumber { get; init; }
    [JsonPropertyName("answered_by")] public string? AnsweredBy { get; init; }
    [JsonPropertyName("started_at")] public ApiTimestamp? StartedAt { get; init; }
    [JsonPropertyName("ended_at")] public ApiTimestamp? EndedAt { get; init; }
    [JsonPropertyName("duration")] public double? Duration { get; init; }
    [JsonPropertyName("tags")] public IReadOnlyList<CallTag> Tags { get; init; } = [];
    [JsonPropertyName("transcripts")] public IReadOnlyList<TranscriptLine> Transcripts { get; init; } = [];
    [JsonPropertyName("recording_presigned_url")] public string? RecordingUrl { get; init; }
    [JsonPropertyName("analysis_results")] public IReadOnlyList<AnalysisResult> AnalysisResults { get; init; } = [];
    [JsonPropertyName("summary")] public CallSummary? Summary { get; init; }
    [JsonPropertyName("params")] public JsonElement? Params { get; init; }
    [JsonPropertyName("external_identifiers")] public JsonElement? ExternalIdentifiers { get; init; }
}

public sealed record CallTag(
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("color")] string? Color);

public sealed record TranscriptLine(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("timestamp")] ApiTimestamp? Timestamp,
    [property: JsonPropertyName("function_name")] string? FunctionName,
    [property: JsonPropertyName("arguments")] JsonElement? Arguments);

public sealed record AnalysisResult(
    [property: JsonPropertyName("id")] long? Id,
    [property: JsonPropertyName("analyzer_id")] long? AnalyzerId,
    [property: JsonPropertyName("prompt")] string? Prompt,
    [property: JsonPropertyName("output_config")] AnalyzerOutputConfig? OutputConfig,
    [property: JsonPropertyName("result")] JsonElement? Result);

public sealed record AnalyzerOutputConfig([property: JsonPropertyName("type")] string? Type);

public sealed record CallSummary(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("outcome")] string? Outcome);
