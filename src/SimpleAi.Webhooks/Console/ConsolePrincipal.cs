using System.Text;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// Who App Service Authentication signed in, from the <c>X-MS-CLIENT-PRINCIPAL</c> header it sets (Base64 JSON:
/// <c>auth_typ</c>, <c>name_typ</c>, <c>role_typ</c>, <c>claims[] {typ, val}</c>). The platform strips the header from
/// incoming requests, so only its own value reaches the app. Never holds a token.
/// </summary>
public sealed record ConsolePrincipal(string Name, IReadOnlyList<string> Roles)
{
    private const string RolesClaim = "roles";
    private const string GroupsClaim = "groups";

    /// <summary>The principal the header names; null when it is absent or not the platform's format.</summary>
    public static ConsolePrincipal? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = json.RootElement;
            var nameType = root.TryGetProperty("name_typ", out var n) ? n.GetString() : null;
            var roleType = root.TryGetProperty("role_typ", out var r) ? r.GetString() : null;
            var claims = root.TryGetProperty("claims", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray()
                    .Select(e => (Type: e.TryGetProperty("typ", out var t) ? t.GetString() : null, Value: e.TryGetProperty("val", out var v) ? v.GetString() : null))
                    .Where(e => e.Type is not null && e.Value is not null)
                    .ToList()
                : [];
            var name = claims.FirstOrDefault(e => e.Type == nameType).Value
                ?? claims.FirstOrDefault(e => e.Type is "name" or "preferred_username").Value
                ?? "(unnamed)";
            var roles = claims.Where(e => e.Type == roleType || e.Type is RolesClaim or GroupsClaim).Select(e => e.Value!).Distinct(StringComparer.Ordinal).ToList();
            return new ConsolePrincipal(name, roles);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
