using System.Text.Json;

namespace SimpleAi.Cli;

/// <summary>
/// How <c>status --json</c> and <c>destinations --json</c> print: indented, each name the snake_case of its C# member,
/// so a projection such as <c>new { state.PausedAt }</c> prints <c>"paused_at"</c>.
/// </summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, Options);
}
