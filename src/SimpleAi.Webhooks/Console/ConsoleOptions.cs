using System.ComponentModel.DataAnnotations;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// The console's settings (section <c>Console</c>). Without <see cref="AllowedRoles"/> the console answers loopback
/// requests only (a local run); with it, only requests that App Service Authentication signed in
/// (<c>X-MS-CLIENT-PRINCIPAL</c>) with one of the roles or groups.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>App roles or group object ids, comma separated (<c>Console__AllowedRoles</c>); empty: loopback only.</summary>
    public string? AllowedRoles { get; set; }

    /// <summary>
    /// The Application Insights resource id (<c>Console__ApplicationInsightsResourceId</c>), for links to a run's
    /// transactions in the portal; none without it.
    /// </summary>
    public string? ApplicationInsightsResourceId { get; set; }

    /// <summary>Calls per page of the Calls view.</summary>
    [Range(1, 200)]
    public int PageSize { get; set; } = 50;

    /// <summary>The roles and groups <see cref="AllowedRoles"/> names.</summary>
    public IReadOnlySet<string> RoleSet() =>
        (AllowedRoles ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
