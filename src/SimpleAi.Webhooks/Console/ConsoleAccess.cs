using System.Net;
using Microsoft.Extensions.Options;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// Who may see the console and change things through it (a pure decision; <see cref="ConsoleRequest"/> carries the
/// request's facts):
/// <list type="bullet">
/// <item>With <see cref="ConsoleOptions.AllowedRoles"/>: a principal from App Service Authentication is required (none:
/// 401) and must hold one of the roles or groups (otherwise 403). On App Service the platform's authentication must be
/// running (<c>WEBSITE_AUTH_ENABLED</c>), since only it strips a forged principal header: otherwise 403.</item>
/// <item>Without: loopback requests only, and never on App Service (<c>WEBSITE_SITE_NAME</c> set), where the Functions
/// host forwards every request to the worker from loopback; a forwarded request is not a local one either (403).</item>
/// <item>A change is a POST with a JSON body and an <c>Origin</c> of the console's own origin (403 otherwise): a form
/// posted from another site carries neither.</item>
/// </list>
/// </summary>
public sealed class ConsoleAccess(IOptions<ConsoleOptions> options, Func<string, string?> environment)
{
    public ConsoleAccess(IOptions<ConsoleOptions> options)
        : this(options, Environment.GetEnvironmentVariable)
    {
    }

    public ConsoleAccessDecision Decide(ConsoleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var roles = options.Value.RoleSet();
        string who;
        if (roles.Count > 0)
        {
            if (environment("WEBSITE_SITE_NAME") is { Length: > 0 } && !string.Equals(environment("WEBSITE_AUTH_ENABLED"), "True", StringComparison.OrdinalIgnoreCase))
            {
                // Only the platform's authentication strips a forged X-MS-CLIENT-PRINCIPAL: without it, trust none.
                return ConsoleAccessDecision.Refuse(403, "App Service Authentication is not running on this app: the console trusts no principal header without it.");
            }

            if (ConsolePrincipal.Parse(request.Principal) is not { } principal)
            {
                return ConsoleAccessDecision.Refuse(401, "Sign in: the console needs a principal from App Service Authentication.");
            }

            if (!principal.Roles.Any(roles.Contains))
            {
                return ConsoleAccessDecision.Refuse(403, $"{principal.Name} holds none of the roles or groups in Console__AllowedRoles.");
            }

            who = principal.Name;
        }
        else
        {
            if (environment("WEBSITE_SITE_NAME") is { Length: > 0 })
            {
                return ConsoleAccessDecision.Refuse(403, "The console is off: set Console__AllowedRoles (the Bicep parameter consoleAllowedRoles) and App Service Authentication.");
            }

            if (request.RemoteAddress is null || !System.Net.IPAddress.IsLoopback(request.RemoteAddress) || request.Forwarded)
            {
                return ConsoleAccessDecision.Refuse(403, "Without Console__AllowedRoles the console answers loopback requests only.");
            }

            who = "local user";
        }

        if (request.Change)
        {
            if (!SameOrigin(request.Origin, request.Host))
            {
                return ConsoleAccessDecision.Refuse(403, "A change must come from the console's own origin (Origin header).");
            }

            if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return ConsoleAccessDecision.Refuse(403, "A change must be a JSON body (Content-Type: application/json).");
            }
        }

        return ConsoleAccessDecision.Allow(who);
    }

    private static bool SameOrigin(string? origin, string host) =>
        origin is { Length: > 0 }
        && Uri.TryCreate(origin, UriKind.Absolute, out var from)
        && Uri.TryCreate(host, UriKind.Absolute, out var self)
        && Uri.Compare(from, self, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}

/// <summary>What the console's access check reads of a request, whatever the host.</summary>
/// <param name="Change">A POST that changes state (replay, pause, resume).</param>
/// <param name="Origin">The <c>Origin</c> header.</param>
/// <param name="Host">The request's own scheme and host, e.g. <c>https://app.azurewebsites.net</c>.</param>
/// <param name="Forwarded">Whether a proxy says it forwarded the request for someone else (<c>X-Forwarded-For</c>).</param>
public sealed record ConsoleRequest(
    bool Change, string? Principal, IPAddress? RemoteAddress, string? Origin, string Host, string? ContentType, bool Forwarded);

/// <summary>The access check's answer: allowed (with who, for the change log) or refused with a status and why.</summary>
public sealed record ConsoleAccessDecision(int Status, string? Who, string? Reason)
{
    public bool Allowed => Status == 200;

    public static ConsoleAccessDecision Allow(string who) => new(200, who, null);

    public static ConsoleAccessDecision Refuse(int status, string reason) => new(status, null, reason);
}
