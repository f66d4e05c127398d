using System.Net.Http.Headers;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Functions.Tests;

/// <summary>
/// README's one command, <c>npm start</c>, with an action step configured through environment variables only, as
/// README and Azure name them. npm runs its script through <c>sh</c>, which drops variables whose names are not
/// identifiers: an <c>Actions__crm-sync__Url</c> never reached the app. A real local server plays the Simple AI API
/// and the CRM. The app's storage is an Azurite of the test's own (set through the environment as well), not the one
/// <c>npm start</c> finds or starts on 10000-10002, where another local run of the app may be consuming the queues.
/// </summary>
[Collection(WholeProcessCollection.Name)]
public sealed class NpmStartTests : IAsyncLifetime
{
    private const string CrmPath = "/crm/calls";
    private const string CrmSecret = "whsec_C2FtcGxlLW90aGVyLXNlY3JldC0xMjM0NTY3OA==";

    private readonly AzuriteFixture _storage = new();
    private FakeHttpServer _server = null!;

    public async Task InitializeAsync()
    {
        await _storage.InitializeAsync();
        _server = await FakeHttpServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task ActionConfiguredOnlyInTheEnvironment_IsDeliveredUnderNpmStart()
    {
        var callId = Guid.NewGuid().ToString("D");
        _server.Default($"/api/v1/calls/{callId}", FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json")));
        var app = new Uri($"http://127.0.0.1:{ClosedPort.Find()}/");
        var environment = new Dictionary<string, string>
        {
            ["SIMPLEAI_LOCAL_URL"] = app.ToString().TrimEnd('/'),
            ["AzureWebJobsStorage"] = _storage.ConnectionString,
            ["SimpleAiStorage"] = _storage.ConnectionString,
            ["SimpleAi__ApiKey"] = TestApp.TestApiKey,
            ["SimpleAi__BaseUrl"] = _server.Url("api/v1/").ToString(),
            ["Webhook__SigningSecrets"] = TestSigning.Secret,
            ["PreCall__BearerToken"] = TestApp.PreCallToken,
            ["Workflow__Steps__1__Step"] = ActionStep.CrmSync,
            [ActionEndpointOptions.SettingName(ActionStep.CrmSync, "Url")] = _server.Url(CrmPath).ToString(),
            [ActionEndpointOptions.SettingName(ActionStep.CrmSync, "Secret")] = CrmSecret,
        };
        Assert.All(environment.Keys, name => Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*$", name));

        using var npm = RunningCommand.Start("npm", ["start"], environment.ToDictionary(e => e.Key, e => (string?)e.Value));
        try
        {
            using var http = new HttpClient { BaseAddress = app };
            await Conditions.WaitAsync(() => npm.Printed.Contains("Listening on", StringComparison.Ordinal), TimeSpan.FromMinutes(4), $"npm start to serve {app} ({npm.Output})");

            var body = WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N"));
            var headers = TestSigning.Sign(body, DateTimeOffset.UtcNow);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/simple-ai") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("webhook-id", headers.Id);
            request.Headers.Add("webhook-timestamp", headers.Timestamp);
            request.Headers.Add("webhook-signature", headers.Signature);
            using var accepted = await http.SendAsync(request);
            Assert.Equal(202, (int)accepted.StatusCode);

            var key = $"{callId}:{ActionStep.CrmSync}";
            await Conditions.WaitAsync(() => _server.To(CrmPath).Any(r => r.Header("Idempotency-Key") == key), TimeSpan.FromMinutes(1),
                $"crm-sync to post the call to the CRM ({npm.Output})");
            var delivery = _server.To(CrmPath).First(r => r.Header("Idempotency-Key") == key);
            using var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(CrmSecret)], TimeSpan.FromMinutes(5));
            Assert.True(verifier.Verify(delivery.Body, delivery.Header).IsValid, "the delivery is signed with Actions__crm_sync__Secret");
        }
        finally
        {
            npm.Stop();
        }
    }
}
