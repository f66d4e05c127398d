using SimpleAi.Webhooks.Rules;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.PostCall;

/// <summary>
/// The fetched call flattened into the run's data, the names that branching rules read:
/// <c>status</c>, <c>direction</c>, <c>answered_by</c>, <c>from_number</c>, <c>to_number</c>, <c>duration</c>,
/// <c>outcome</c>, <c>tags</c> (names, comma-separated), <c>analysis:&lt;analyzer id&gt;</c> and
/// <c>analysis:&lt;prompt&gt;</c>, <c>params:&lt;key&gt;</c>, <c>external_identifiers:&lt;key&gt;</c>.
/// </summary>
public static class CallFacts
{
    public const string Status = "status";
    public const string Direction = "direction";
    public const string AnsweredBy = "answered_by";
    public const string FromNumber = "from_number";
    public const string ToNumber = "to_number";
    public const string Duration = "duration";
    public const string Outcome = "outcome";
    public const string Tags = "tags";
    public const string Snapshot = "snapshot";

    /// <summary>Fields whose names carry a key after the colon.</summary>
    public static readonly IReadOnlyList<string> KeyedPrefixes = ["analysis:", "params:", "external_identifiers:"];

    public static readonly IReadOnlyList<string> Names = [Status, Direction, AnsweredBy, FromNumber, ToNumber, Duration, Outcome, Tags];

    /// <summary>The fields as workflow rules know them: provided by <c>fetch-call</c>; <c>tags</c> is a list.</summary>
    public static readonly RuleFields Fields = new(FetchCallStep.Name, "the call", Names, KeyedPrefixes, [Tags]);

    public static Dictionary<string, string> Of(SimpleAiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(facts, Status, call.Status);
        Add(facts, Direction, call.Direction);
        Add(facts, AnsweredBy, call.AnsweredBy);
        Add(facts, FromNumber, call.FromNumber);
        Add(facts, ToNumber, call.ToNumber);
        Add(facts, Duration, call.Duration?.ToString(CultureInfo.InvariantCulture));
        Add(facts, Outcome, call.Summary?.Outcome);
        facts[Tags] = string.Join(',', call.Tags.Select(t => t.Name).Where(n => !string.IsNullOrEmpty(n)));
        foreach (var result in call.AnalysisResults)
        {
            var value = Text(result.Result);
            if (result.AnalyzerId is { } id)
            {
                Add(facts, $"analysis:{id.ToString(CultureInfo.InvariantCulture)}", value);
            }

            if (!string.IsNullOrEmpty(result.Prompt))
            {
                Add(facts, $"analysis:{result.Prompt}", value);
            }
        }

        AddObject(facts, "params:", call.Params);
        AddObject(facts, "external_identifiers:", call.ExternalIdentifiers);
        return facts;
    }

    /// <summary>A JSON value as rules compare it: strings bare, booleans and numbers as written, anything else as JSON.</summary>
    public static string? Text(JsonElement? value) => value?.ValueKind switch
    {
        null or JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.Value.GetString(),
        _ => value.Value.GetRawText(),
    };

    private static void AddObject(Dictionary<string, string> facts, string prefix, JsonElement? value)
    {
        if (value is { ValueKind: JsonValueKind.Object } obj)
        {
            foreach (var property in obj.EnumerateObject())
            {
                Add(facts, prefix + property.Name, Text(property.Value));
            }
        }
    }

    private static void Add(Dictionary<string, string> facts, string name, string? value)
    {
        if (value is not null)
        {
            facts[name] = value;
        }
    }
}
