using SimpleAi.Cli;
using SimpleAi.Cli.Commands;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary><c>register</c> against a local server playing Simple AI's webhooks API.</summary>
public sealed class RegisterTests : IAsyncLifetime
{
    private const string Endpoint = "https://func-abc.azurewebsites.net/api/webhooks/simple-ai";
    private const string Created = """
        {"endpoint_id": "ep_2Kx9", "url": "https://func-abc.azurewebsites.net/api/webhooks/simple-ai",
         "event_types": ["call.completed", "transcript.updated"], "created_at": "2026-04-12T14:30:00Z"}
        """;

    private FakeHttpServer _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpServer.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private string BaseUrl => _api.Url("api/v1").ToString();

    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new Dictionary<string, string?>();
        var code = await new CliApp(new CliConsole(() => new MemoryStream(), output, error, environment.GetValueOrDefault), TimeProvider.System).RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Create_PostsTheDocumentedBody_AndSaysWhereTheSecretGoes()
    {
        _api.Script("/api/v1/webhooks", FakeResponse.Json(Created, 201));

        var (code, output, _) = await RunAsync(
            "register", "--api-key", TestApp.TestApiKey, "--base-url", BaseUrl, "--url", Endpoint,
            "--events", "call.completed,call.transcript_update", "--description", "Acme support", "--rate-limit", "600");

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("POST", "/api/v1/webhooks"), (request.Method, request.Path));
        Assert.Equal(TestApp.TestApiKey, request.Header("Authorization"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(
            """{"url":"https://func-abc.azurewebsites.net/api/webhooks/simple-ai","event_types":["call.completed","transcript.updated"],"description":"Acme support","disabled":false,"rate_limit":600}""",
            body.RootElement.GetRawText());
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"created webhook ep_2Kx9 → {Endpoint}", output, StringComparison.Ordinal);
        Assert.Contains("events: call.completed, transcript.updated", output, StringComparison.Ordinal);
        Assert.Contains("Webhook__SigningSecrets", output, StringComparison.Ordinal);
        Assert.Contains("webhook-signing-secrets", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_WithoutEvents_LeavesThemToTheApi_AndSendsTheKeyAfterAScheme()
    {
        _api.Script("/api/v1/webhooks", FakeResponse.Json(Created, 201));

        var (code, _, _) = await RunAsync("register", "--api-key", "k", "--auth-scheme", "Bearer", "--base-url", BaseUrl, "--url", Endpoint, "--disabled");

        var request = Assert.Single(_api.Requests);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("Bearer k", request.Header("Authorization"));
        Assert.Equal("""{"url":"https://func-abc.azurewebsites.net/api/webhooks/simple-ai","disabled":true}""", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public async Task BadKey_IsOneLineAndExit5()
    {
        _api.Script("/api/v1/webhooks", FakeResponse.Json("""{"detail": "Invalid API key"}""", 401));

        var (code, output, error) = await RunAsync("register", "--api-key", "wrong", "--base-url", BaseUrl, "--url", Endpoint);

        Assert.Equal((ExitCodes.ApiKeyRefused, string.Empty), (code, output));
        Assert.Equal(
            "error: the Simple AI API refused the API key (401 Unauthorized: Invalid API key); check --api-key (or SimpleAi__ApiKey), sent as the raw key: try --auth-scheme Bearer if yours needs it",
            error.Trim());
        Assert.DoesNotContain("wrong", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_ShowsTheApisValidationMessage_Exit6()
    {
        _api.Script("/api/v1/webhooks", FakeResponse.Json(
            """{"detail": [{"loc": ["body", "url"], "msg": "URL scheme should be 'https'", "type": "url_scheme"}]}""", 422));

        var (code, _, error) = await RunAsync("register", "--api-key", "k", "--base-url", BaseUrl, "--url", "http://localhost:7071/api/webhooks/simple-ai");

        Assert.Equal(ExitCodes.ApiRejected, code);
        Assert.Equal("error: the Simple AI API rejected POST /api/v1/webhooks (422): url: URL scheme should be 'https'", error.Trim());
    }

    [Fact]
    public async Task Unreachable_IsOneLineAndExit7()
    {
        var closed = $"http://127.0.0.1:{ClosedPort.Find()}/api/v1";

        var (code, _, error) = await RunAsync("register", "--api-key", "k", "--base-url", closed, "--url", Endpoint);

        Assert.Equal(ExitCodes.Unreachable, code);
        Assert.Equal($"error: cannot reach the Simple AI API at {closed}/: connection refused (check --base-url and the network)", error.Trim());
    }

    [Fact]
    public async Task List_GetsTheWebhooksAndPrintsOneRowEach()
    {
        _api.Script("/api/v1/webhooks", FakeResponse.Json($"[{Created}, {{\"endpoint_id\": \"ep_old\", \"url\": \"https://old.example/hook\", \"disabled\": true}}]"));

        var (code, output, _) = await RunAsync("register", "--list", "--api-key", "k", "--base-url", BaseUrl);

        var request = Assert.Single(_api.Requests);
        Assert.Equal(("GET", "/api/v1/webhooks", "k"), (request.Method, request.Path, request.Header("Authorization")));
        Assert.Equal(ExitCodes.Ok, code);
        var rows = output.Trim().Split('\n').Select(r => r.TrimEnd('\r')).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Matches(@"^ep_2Kx9\s+https://func-abc\.azurewebsites\.net/api/webhooks/simple-ai\s+call\.completed, transcript\.updated\s+enabled\s+2026-04-12T14:30:00Z$", rows[1]);
        Assert.Matches(@"^ep_old\s+https://old\.example/hook\s+all\s+disabled\s+-$", rows[2]);
    }

    [Fact]
    public async Task Delete_DeletesByEndpointId_AndAnUnknownIdExits1()
    {
        _api.Script("/api/v1/webhooks/ep_2Kx9", FakeResponse.Text(204));
        _api.Script("/api/v1/webhooks/ep_gone", FakeResponse.Json("""{"detail": "Webhook not found"}""", 404));

        var deleted = await RunAsync("register", "--delete", "ep_2Kx9", "--api-key", "k", "--base-url", BaseUrl);
        var unknown = await RunAsync("register", "--delete", "ep_gone", "--api-key", "k", "--base-url", BaseUrl);

        Assert.Equal(("DELETE", "/api/v1/webhooks/ep_2Kx9"), (_api.Requests.First().Method, _api.Requests.First().Path));
        Assert.Equal((ExitCodes.Ok, "deleted webhook ep_2Kx9"), (deleted.Code, deleted.Out.Trim()));
        Assert.Equal(ExitCodes.Failed, unknown.Code);
        Assert.Equal("error: the Simple AI API answered DELETE /api/v1/webhooks/ep_gone with 404 Not Found: Webhook not found", unknown.Error.Trim());
    }

    [Theory]
    [InlineData("--list", "--url", Endpoint)]
    [InlineData("--list", "--events", "call.completed")]
    [InlineData("--url", "not a url")]
    [InlineData("--url", Endpoint, "--rate-limit", "0")]
    public async Task Contradictions_AreUsageErrors_AndSendNothing(params string[] args)
    {
        var (code, _, error) = await RunAsync(["register", "--api-key", "k", "--base-url", BaseUrl, .. args]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Empty(_api.Requests);
    }

    [Fact]
    public async Task NoKey_IsAUsageError()
    {
        var (code, _, error) = await RunAsync("register", "--base-url", BaseUrl, "--url", Endpoint);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("error: give --api-key (or set SimpleAi__ApiKey): the Simple AI API key", error.Trim());
    }
}
