using System.Net.Http.Headers;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Functions.Tests.LocalHost;

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

    /// <summary>
    /// A step whose tries fail (the Simple AI API is not listening) while the host retries it: the console shows one
    /// line per failed try, with the step, run, try of tries, error and next try, and no stack trace. The app's own
    /// line carried the exception with its stack trace, and the host repeated it twice more per try
    /// (<c>Executed 'step-fetch-call' (Failed …)</c> and <c>Host.Results</c>), each with the whole stack trace.
    /// </summary>
    [Fact]
    public async Task FailingStepUnderNpmStart_IsOneLinePerFailedTry_WithoutStackTraces()
    {
        var callId = Guid.NewGuid().ToString("D");
        var app = new Uri($"http://127.0.0.1:{ClosedPort.Find()}/");
        var environment = new Dictionary<string, string?>
        {
            ["SIMPLEAI_LOCAL_URL"] = app.ToString().TrimEnd('/'),
            ["AzureWebJobsStorage"] = _storage.ConnectionString,
            ["SimpleAiStorage"] = _storage.ConnectionString,
            ["SimpleAi__ApiKey"] = TestApp.TestApiKey,
            ["SimpleAi__BaseUrl"] = $"http://127.0.0.1:{ClosedPort.Find()}/api/v1/",
            ["SimpleAi__MaxRetries"] = "0",
            ["Webhook__SigningSecrets"] = TestSigning.Secret,
            ["PreCall__BearerToken"] = TestApp.PreCallToken,
            ["AzureFunctionsJobHost__extensions__queues__maxDequeueCount"] = "3",
            ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:01",
        };

        using var npm = RunningCommand.Start("npm", ["start"], environment);
        try
        {
            await Conditions.WaitAsync(() => npm.Printed.Contains("Listening on", StringComparison.Ordinal), TimeSpan.FromMinutes(4), $"npm start to serve {app} ({npm.Output})");
            var started = npm.Printed.Length;
            using var http = new HttpClient { BaseAddress = app };
            var body = WorkflowHarness.CallCompleted(callId, "evt_" + Guid.NewGuid().ToString("N"));
            var headers = TestSigning.Sign(body, DateTimeOffset.UtcNow);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/simple-ai") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("webhook-id", headers.Id);
            request.Headers.Add("webhook-timestamp", headers.Timestamp);
            request.Headers.Add("webhook-signature", headers.Signature);
            using var accepted = await http.SendAsync(request);
            Assert.Equal(202, (int)accepted.StatusCode);

            await Conditions.WaitAsync(() => npm.Printed.Contains("'step-fetch-call-poison'", StringComparison.Ordinal), TimeSpan.FromMinutes(1),
                $"the host to give up on fetch-call after 3 tries ({npm.Output})");
            var lines = npm.Printed[started..].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

            Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("--- End of", StringComparison.Ordinal));
            var tries = lines.Where(l => l.Contains($"Step fetch-call of run {callId} failed on try", StringComparison.Ordinal)).ToList();
            Assert.Collection(
                tries,
                l => Assert.Matches(@"failed on try 1 of 3: HttpRequestException: .*; next try 2 of 3 in 00:00:01$", l),
                l => Assert.Matches(@"failed on try 2 of 3: HttpRequestException: .*; next try 3 of 3 in 00:00:01$", l),
                l => Assert.Matches(@"failed on try 3 of 3: HttpRequestException: .*; that was the last try: the run has failed$", l));
            // Nothing else at warning level or above but the request's own line per try and the move to the poison queue.
            var others = lines.Where(l => (l.Contains(" warn: ", StringComparison.Ordinal) || l.Contains(" fail: ", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal))
                && !tries.Contains(l)
                && !l.Contains("HTTP GET http://127.0.0.1", StringComparison.Ordinal)
                && !l.Contains("poison", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(others.Count == 0, "other warnings and errors:\n" + string.Join('\n', others));
        }
        finally
        {
            npm.Stop();
        }
    }

    /// <summary>
    /// README's and docs/operations.md's <c>npm start</c> commands (and the <c>npm ci</c> before them): each setting
    /// they give in the environment is one this test sets, by the same name, and to the same value where the value can
    /// be used as written (not a placeholder such as <c>…</c> or <c>&lt;your key&gt;</c>, not an address).
    /// </summary>
    private static void AssertDocumentedCommandsSetOnly(Dictionary<string, string> environment)
    {
        foreach (var block in ReadmeExamples.TestedBy($"{nameof(NpmStartTests)}.{nameof(ActionConfiguredOnlyInTheEnvironment_IsDeliveredUnderNpmStart)}"))
        {
            var commands = block.Body.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
                .Select(line => line.Split(" #")[0].Trim()).Where(line => line.Length > 0).ToList();
            Assert.NotEmpty(commands);
            foreach (var command in commands.Where(c => c != "npm ci"))
            {
                var rest = command;
                for (var assignment = Assignment.Match(rest); assignment.Success; assignment = Assignment.Match(rest))
                {
                    var (name, value) = (assignment.Groups[1].Value, assignment.Groups[2].Value);
                    Assert.True(environment.ContainsKey(name), $"{block}: {name} is not among the settings this test gives npm start");
                    if (!value.Contains('…', StringComparison.Ordinal) && !value.StartsWith('<') && !value.StartsWith("http", StringComparison.Ordinal))
                    {
                        Assert.Equal(value, environment[name]);
                    }

                    rest = rest[assignment.Length..];
                }

                Assert.True(rest.Trim() == "npm start", $"{block}: `{command}` is not settings then npm start");
            }
        }
    }

    private static readonly System.Text.RegularExpressions.Regex Assignment = new(@"^\s*([A-Za-z_][A-Za-z0-9_]*)=(<[^>]*>|\S+)");

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
        AssertDocumentedCommandsSetOnly(environment);

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
            // The worker SDK's generated WorkerExtensions.csproj resolves newer versions than it asks for from this
            // package source: its restore warnings were printed on every start (SimpleAi.Functions.csproj silences them).
            Assert.DoesNotContain("NU1603", npm.Printed, StringComparison.Ordinal);
        }
        finally
        {
            npm.Stop();
        }
    }
}
