using SimpleAi.Webhooks.Rules;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.PostCall;

/// <summary>
/// The fetched call flattened into the run's data, the names that branching rules read:
/// <c>status</c>, <c>direction</c>, <c>answered_by</c>, <c>from_number</c>, <c>to_number</c>, <c>started_at</c> (as the
/// API wrote it; it links the call to its pre-call answer), <c>duration</c>,
/// <c>outcome</c>, <c>tags</c> (names, comma-separated), <c>analysis:&lt;analyzer id&gt;</c> and
/// <c>analysis:&lt;prompt&gt;</c>, <c>params:&lt;key&gt;</c>, <c>external_identifiers:&lt;key&gt;</c>.
/// </summary>
public static class CallFacts
{
    private const string Tags = "tags";

    /// <summary>Fields whose names carry a key after the colon.</summary>
    public static readonly IReadOnlyList<string> KeyedPrefixes = ["analysis:", "params:", "external_identifiers:"];

    /// <summary>The fields with a fixed name, each with where its value comes from (a null value is left out).</summary>
    private static readonly (string Name, Func<SimpleAiCall, string?> Value)[] Fixed =
    [
        ("status", call => call.Status),
        ("direction", call => call.Direction),
        ("answered_by", call => call.AnsweredBy),
        ("from_number", call => call.FromNumber),
        ("to_number", call => call.ToNumber),
        ("started_at", call => call.StartedAt?.Text),
        ("duration", call => call.Duration?.ToString(CultureInfo.InvariantCulture)),
        ("outcome", call => call.Summary?.Outcome),
        (Tags, call => string.Join(',', call.Tags.Select(t => t.Name).Where(n => !string.IsNullOrEmpty(n)))),
    ];

    public static readonly IReadOnlyList<string> Names = [.. Fixed.Select(field => field.Name)];

    /// <summary>The fields as workflow rules know them: provided by <c>fetch-call</c>; <c>tags</c> is a list.</summary>
    public static readonly RuleFields Fields = new(FetchCallStep.Name, "the call", Names, KeyedPrefixes, [Tags]);

    public static Dictionary<string, string> Of(SimpleAiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Fixed)
        {
            Add(facts, name, value(call));
        }

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
