using System.Net;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Console;

namespace SimpleAi.Functions.Tests.Console;

/// <summary>Who may see the console and change things, decision by decision (<see cref="ConsoleAccess"/>).</summary>
public sealed class ConsoleAccessTests
{
    private const string Self = "http://127.0.0.1:7071";

    public static string Principal(string name, params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = new[] { new { typ = "name", val = name } }.Concat(roles.Select(r => new { typ = "roles", val = r })),
    })));

    private static ConsoleAccessDecision Decide(
        string? roles, ConsoleRequest request, Dictionary<string, string>? environment = null) =>
        new ConsoleAccess(Options.Create(new ConsoleOptions { AllowedRoles = roles }), name => environment?.GetValueOrDefault(name)).Decide(request);

    private static ConsoleRequest Read(string? principal = null, string remote = "127.0.0.1", bool forwarded = false) =>
        new(false, principal, IPAddress.Parse(remote), null, Self, null, forwarded);

    private static ConsoleRequest Change(string? origin, string? contentType = "application/json", string? principal = null) =>
        new(true, principal, IPAddress.Loopback, origin, Self, contentType, false);

    public static TheoryData<string, ConsoleRequest, Dictionary<string, string>?, int> Cases() => new()
    {
        { "local: loopback reads", Read(), null, 200 },
        { "local: IPv6 loopback reads", Read(remote: "::1"), null, 200 },
        { "local: another address is refused", Read(remote: "10.0.0.5"), null, 403 },
        { "local: a forwarded request is refused", Read(forwarded: true), null, 403 },
        { "local rules never hold on App Service", Read(), new() { ["WEBSITE_SITE_NAME"] = "app" }, 403 },
        { "local: a same-origin JSON change", Change(Self), null, 200 },
        { "local: a change from another site", Change("https://evil.example"), null, 403 },
        { "local: a change without Origin", Change(null), null, 403 },
        { "local: a form post from the same origin", Change(Self, "application/x-www-form-urlencoded"), null, 403 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void WithoutRoles_TheConsoleIsLocal(string scenario, ConsoleRequest request, Dictionary<string, string>? environment, int expected)
    {
        Assert.True(Decide(null, request, environment).Status == expected, scenario);
    }

    [Fact]
    public void WithRoles_NoPrincipalIs401_WithoutTheRoleIs403_WithItIsAllowed_AsItsName()
    {
        var azure = new Dictionary<string, string> { ["WEBSITE_SITE_NAME"] = "app", ["WEBSITE_AUTH_ENABLED"] = "True" };

        Assert.Equal(401, Decide("Console.Operator", Read(remote: "10.1.2.3"), azure).Status);
        Assert.Equal(401, Decide("Console.Operator", Read("not base64 json", "10.1.2.3"), azure).Status);
        Assert.Equal(403, Decide("Console.Operator", Read(Principal("eve@example.com", "Reader"), "10.1.2.3"), azure).Status);
        var allowed = Decide("Console.Operator, 0f8e3c2a-group", Read(Principal("ann@example.com", "Console.Operator"), "10.1.2.3"), azure);
        Assert.Equal((200, "ann@example.com"), (allowed.Status, allowed.Who));
        Assert.Equal(403, Decide("Console.Operator", Change("https://evil.example", principal: Principal("ann@example.com", "Console.Operator")), azure).Status);
    }

    [Fact]
    public void WithRoles_OnAppServiceWithoutItsAuthentication_TrustsNoPrincipalHeader()
    {
        var withoutAuth = new Dictionary<string, string> { ["WEBSITE_SITE_NAME"] = "app" };

        Assert.Equal(403, Decide("Console.Operator", Read(Principal("mallory", "Console.Operator")), withoutAuth).Status);
    }
}
