using System.Text.Json.Serialization;

namespace SimpleAi.Webhooks.Workflow;

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
