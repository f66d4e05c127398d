using System.Net;
using System.Net.Http.Headers;

namespace SimpleAi.Functions.Tests.Console;

/// <summary>Who may see the console, over HTTP against the app on the local host.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleAccessHttpTests(AzuriteFixture azurite)
{
    private static readonly HttpClient Http = new();

    private static async Task<HttpStatusCode> SendAsync(Uri url, HttpMethod method, Action<HttpRequestMessage>? change = null)
    {
        using var request = new HttpRequestMessage(method, url);
        change?.Invoke(request);
        using var response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task WithRolesConfigured_NoPrincipal401_WithoutTheRole403_CrossSitePost403_WithTheRoleAllowed()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString, harness => harness.WithSetting("Console:AllowedRoles", "Console.Operator"));
        var calls = new Uri(app.ConsoleUrl, "api/calls");
        var pause = new Uri(app.ConsoleUrl, "api/destinations/crm-sync/pause");
        var operatorPrincipal = ConsoleAccessTests.Principal("ann@example.com", "Console.Operator");

        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(calls, HttpMethod.Get));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(app.ConsoleUrl, HttpMethod.Get));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(calls, HttpMethod.Get, r => r.Headers.Add("X-MS-CLIENT-PRINCIPAL", ConsoleAccessTests.Principal("eve", "Reader"))));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(calls, HttpMethod.Get, r => r.Headers.Add("X-MS-CLIENT-PRINCIPAL", operatorPrincipal)));
        // A form another site posts: its own Origin, a form body.
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(pause, HttpMethod.Post, r =>
        {
            r.Headers.Add("X-MS-CLIENT-PRINCIPAL", operatorPrincipal);
            r.Headers.Add("Origin", "https://evil.example");
            r.Content = new FormUrlEncodedContent([new("reason", "gotcha")]);
        }));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(pause, HttpMethod.Post, r =>
        {
            r.Headers.Add("X-MS-CLIENT-PRINCIPAL", operatorPrincipal);
            r.Headers.Add("Origin", app.ConsoleUrl.GetLeftPart(UriPartial.Authority));
            r.Content = new FormUrlEncodedContent([new("reason", "a form")]);
        }));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(pause, HttpMethod.Post, r =>
        {
            r.Headers.Add("X-MS-CLIENT-PRINCIPAL", operatorPrincipal);
            r.Headers.Add("Origin", app.ConsoleUrl.GetLeftPart(UriPartial.Authority));
            r.Content = new StringContent("{\"reason\":\"maintenance\"}", new MediaTypeHeaderValue("application/json"));
        }));
        Assert.Contains(app.Harness.Logs.Lines, l => l.Contains("Console: ann@example.com paused destination crm-sync: maintenance", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Harness.Logs.Lines, l => l.Contains(operatorPrincipal, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Locally_LoopbackIsServed_WithSecurityHeaders_AForwardedRequestIsRefused()
    {
        await using var app = await ConsoleApp.StartAsync(azurite.ConnectionString);

        using var page = await Http.GetAsync(app.ConsoleUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(new Uri(app.ConsoleUrl, "api/calls"), HttpMethod.Get, r => r.Headers.Add("X-Forwarded-For", "203.0.113.9")));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(new Uri(app.ConsoleUrl, "..%2F..%2Fhost.json"), HttpMethod.Get));
        using var bare = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var redirect = await bare.GetAsync(new Uri(app.Harness.Host.BaseAddress!, "api/console"));
        Assert.Equal("/api/console/", redirect.Headers.Location?.ToString());
    }
}
