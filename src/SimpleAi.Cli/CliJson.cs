using System.Text.Json;
using SimpleAi.Webhooks.Json;

namespace SimpleAi.Cli;

/// <summary>
/// How every <c>--json</c> of the CLI prints (<c>status</c>, <c>destinations</c>, <c>send</c>): with the encoder of the
/// app's documents (<see cref="OutboundJson"/>: only the escapes JSON requires, so <c>'</c>, <c>&lt;</c>, <c>&amp;</c>,
/// accents and emoji print as themselves, not as <c>\u0027</c>), each name the snake_case of its C# member, so a
/// projection such as <c>new { state.PausedAt }</c> prints <c>"paused_at"</c>. Indented, except <c>send</c>'s
/// one-line summary.
/// </summary>
internal static class CliJson
{
    private static readonly JsonSerializerOptions LineOptions = new(OutboundJson.SerializerOptions) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly JsonSerializerOptions Options = new(LineOptions) { WriteIndented = true };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, Options);

    public static string SerializeLine(object value) => JsonSerializer.Serialize(value, LineOptions);
}
