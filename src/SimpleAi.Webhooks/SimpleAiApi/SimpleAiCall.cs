using System.Text.Json.Serialization;

namespace SimpleAi.Webhooks.SimpleAiApi;

/// <summary>
/// A call as <c>GET /calls/{uuid}</c> returns it: the fields the workflow uses. Unknown fields are ignored;
/// <c>params</c>, <c>external_identifiers</c> and analyzer results stay JSON because their shapes are the customer's;
/// times keep the API's text next to their value (<see cref="ApiTimestamp"/>). Wire names are the snake_case of the
/// property names: read the JSON with <see cref="SimpleAiClient.JsonOptions"/>.
/// </summary>
public sealed record SimpleAiCall
{
    public string? SimpleUuid { get; init; }
    public string? Status { get; init; }
    public string? Direction { get; init; }
    public string? FromNumber { get; init; }
    public string? ToNumber { get; init; }
    public string? AnsweredBy { get; init; }
    public ApiTimestamp? StartedAt { get; init; }
    public ApiTimestamp? EndedAt { get; init; }
    public double? Duration { get; init; }
    public IReadOnlyList<CallTag> Tags { get; init; } = [];
    public IReadOnlyList<TranscriptLine> Transcripts { get; init; } = [];
    [JsonPropertyName("recording_presigned_url")] public string? RecordingUrl { get; init; }
    public IReadOnlyList<AnalysisResult> AnalysisResults { get; init; } = [];
    public CallSummary? Summary { get; init; }
    public JsonElement? Params { get; init; }
    public JsonElement? ExternalIdentifiers { get; init; }
}

public sealed record CallTag(long? Id, string? Name, string? Description, string? Color);

public sealed record TranscriptLine(string? Text, string? Role, ApiTimestamp? Timestamp, string? FunctionName, JsonElement? Arguments);

public sealed record AnalysisResult(long? Id, long? AnalyzerId, string? Prompt, AnalyzerOutputConfig? OutputConfig, JsonElement? Result);

public sealed record AnalyzerOutputConfig(string? Type);

public sealed record CallSummary(string? Text, string? Outcome);
