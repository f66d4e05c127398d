using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions.Tests.PreCall;

/// <summary><c>PreCallLookup</c> in process against a real contacts table on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PreCallLookupTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Dana = "+15551234567";

    /// <summary>What App Service passes when it cannot read the secret: the reference's own text (vault name included).</summary>
    private const string VaultReference = "@Microsoft.KeyVault(SecretUri=https://kv-simpleai-x7q2.vault.azure.net/secrets/precall-bearer-token/)";
    private const string VaultNameReference = "@Microsoft.KeyVault(VaultName=kv-simpleai-x7q2;SecretName=precall-bearer-token)";
    private const string SamplePlaceholder = "replace-with-the-token-configured-in-simple-ai";
    private const string VaultName = "kv-simpleai-x7q2";

    private readonly RecordingLoggerProvider _logs = new();
    private FakeHttpServer _enrichment = null!;

    public async Task InitializeAsync()
    {
        _enrichment = await FakeHttpServer.StartAsync();
        using var app = App();
        await app.GetRequiredService<ContactStore>().UpsertAsync(Dana, new Dictionary<string, string>
        {
            ["customer_name"] = "Dana Ortiz",
            ["plan"] = "pro",
            ["crm_contact_id"] = "C-10442",
        }, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _enrichment.DisposeAsync();

    private ServiceProvider App(Action<Dictionary<string, string?>>? change = null, string? storage = null, bool everyLevel = false)
    {
        var settings = TestApp.Settings(storage ?? azurite.ConnectionString);
        change?.Invoke(settings);
        return TestApp.Build(settings, _logs, everyLevel ? s => s.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace)) : null);
    }

    /// <summary>Azurite for blobs and queues, <paramref name="tablePort"/> for the contacts table.</summary>
    private string StorageWithTablesAt(int tablePort) =>
        System.Text.RegularExpressions.Regex.Replace(azurite.ConnectionString, "TableEndpoint=[^;]*", $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1");

    private static byte[] Request(string from = "+15551234567", string to = "+15557654321", string direction = "inbound") =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            call = new { from_number = from, to_number = to, direction, timestamp = "2026-04-12T14:30:00Z" },
            agent = new { id = "8b0f6a52", name = "Support Agent" },
        }));

    private static Task<HttpResponseRecord> PostAsync(
        ServiceProvider app, byte[] body, string? authorization = "Bearer " + TestApp.PreCallToken, string? contentType = "application/json", string method = "POST") =>
        HttpInvoker.InvokeAsync(
            (request, _) => app.GetRequiredService<HttpFunctions>().PreCallLookup(request),
            method,
            new MemoryStream(body),
            body.Length,
            contentType,
            authorization is null ? [] : [new("Authorization", authorization)]);

    private static Dictionary<string, string?> Parameters(HttpResponseRecord response) =>
        response.Json!.Value.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

    [Fact]
    public async Task KnownCaller_GetsTheContactsFieldsAsStrings()
    {
        using var app = App();

        var response = await PostAsync(app, RepoPaths.FixtureBytes("precall-request.json"));

        Assert.Equal(200, response.Status);
        Assert.Equal(new Dictionary<string, string?> { ["customer_name"] = "Dana Ortiz", ["plan"] = "pro", ["crm_contact_id"] = "C-10442" }, Parameters(response));
    }

    [Fact]
    public async Task Answer_IsUtf8WithOnlyTheEscapesJsonRequires()
    {
        const string caller = "+15550002323";
        using var app = App();
        await app.GetRequiredService<ContactStore>().UpsertAsync(caller, new Dictionary<string, string>
        {
            ["customer_name"] = "Zoë Ørsted 📞",
            ["note"] = "VIP <gold> & \"friends\"",
        }, CancellationToken.None);

        var response = await PostAsync(app, Request(from: caller));

        Assert.Equal(200, response.Status);
        // The root element's raw text is the response body as written.
        Assert.Equal("""{"parameters":{"customer_name":"Zoë Ørsted 📞","note":"VIP <gold> & \"friends\""}}""", response.Json!.Value.GetRawText());
    }

    [Theory]
    [InlineData("(555) 123-4567")]
    [InlineData("555.123.4567")]
    [InlineData("+1 555 123 4567")]
    public async Task CallerNumberInAnotherFormat_IsNormalisedBeforeTheLookup(string from)
    {
        using var app = App();

        Assert.Equal("Dana Ortiz", Parameters(await PostAsync(app, Request(from: from)))["customer_name"]);
    }

    [Fact]
    public async Task OutboundCall_LooksUpTheCallee()
    {
        using var app = App();

        var response = await PostAsync(app, Request(from: "+15557654321", to: "+15551234567", direction: "outbound"));

        Assert.Equal("Dana Ortiz", Parameters(response)["customer_name"]);
    }

    [Theory]
    [InlineData("+15550000000")]
    [InlineData("anonymous")]
    [InlineData("")]
    public async Task UnknownOrUnusableCaller_GetsEmptyParameters(string from)
    {
        using var app = App();

        var response = await PostAsync(app, Request(from: from));

        Assert.Equal(200, response.Status);
        Assert.Empty(Parameters(response));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic " + TestApp.PreCallToken)]
    [InlineData(TestApp.PreCallToken)]
    [InlineData("Bearer " + TestApp.PreCallToken + "x")]
    public async Task WrongOrMissingBearerToken_Is401(string? authorization)
    {
        using var app = App();

        var response = await PostAsync(app, Request(), authorization);

        Assert.Equal(401, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
    }

    [Fact]
    public async Task NoConfiguredToken_RefusesEveryone()
    {
        using var app = App(s => s["PreCall:BearerToken"] = null);

        Assert.Equal(401, (await PostAsync(app, Request(), "Bearer ")).Status);
    }

    [Theory]
    [InlineData("not json", "$")]
    [InlineData("{\"call\":", "$")]
    [InlineData("[1]", "$")]
    [InlineData("{}", "call")]
    [InlineData("{\"call\":\"x\"}", "call")]
    [InlineData("{\"call\":{\"to_number\":\"+15551234567\"}}", "call.from_number")]
    [InlineData("{\"call\":{\"from_number\":15551234567}}", "call.from_number")]
    [InlineData("{\"call\":{\"direction\":\"outbound\",\"from_number\":\"+15551234567\"}}", "call.to_number")]
    public async Task MalformedBody_Is400NamingTheField(string body, string field)
    {
        using var app = App();

        var response = await PostAsync(app, Encoding.UTF8.GetBytes(body));

        Assert.Equal(400, response.Status);
        Assert.Equal(field, response.Field);
    }

    [Fact]
    public async Task WrongContentTypeMethodOrSize_AreRefused()
    {
        using var app = App();

        Assert.Equal(415, (await PostAsync(app, Request(), contentType: "text/plain")).Status);
        Assert.Equal(405, (await PostAsync(app, Request(), method: "GET")).Status);
        Assert.Equal(413, (await PostAsync(app, new byte[PreCallService.MaxBodyBytes + 1])).Status);
    }

    [Fact]
    public async Task Enrichment_AddsParametersWithoutOverridingTheContact()
    {
        _enrichment.Default("/enrich", FakeResponse.Json("{\"parameters\":{\"plan\":\"free\",\"open_tickets\":2,\"tier\":\"gold\"}}"));
        using var app = App(s => s["PreCall:EnrichmentUrl"] = _enrichment.Url("enrich").ToString());

        var parameters = Parameters(await PostAsync(app, Request()));

        Assert.Equal(("pro", "2", "gold"), (parameters["plan"], parameters["open_tickets"], parameters["tier"]));
        using var sent = JsonDocument.Parse(Assert.Single(_enrichment.To("/enrich")).Body);
        Assert.Equal(Dana, sent.RootElement.GetProperty("phone").GetString());
    }

    [Theory]
    [InlineData(3000, 200)]
    [InlineData(0, 500)]
    public async Task SlowOrFailingEnrichment_AnswersWhatIsKnownWithinTheBudget(int delayMilliseconds, int status)
    {
        _enrichment.Default("/enrich", FakeResponse.Json("{\"parameters\":{\"tier\":\"gold\"}}", status) with { Delay = TimeSpan.FromMilliseconds(delayMilliseconds) });
        using var app = App(s =>
        {
            s["PreCall:EnrichmentUrl"] = _enrichment.Url("enrich").ToString();
            s["PreCall:EnrichmentTimeoutMilliseconds"] = "300";
        });
        var clock = Stopwatch.StartNew();

        var response = await PostAsync(app, Request());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal(200, response.Status);
        Assert.Equal("Dana Ortiz", Parameters(response)["customer_name"]);
        Assert.False(Parameters(response).ContainsKey("tier"));
    }

    [Fact]
    public async Task ContactsTableUnreachable_AnswersEmptyNever500()
    {
        using var app = App(storage: $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint=http://127.0.0.1:{ClosedPort.Find()}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{ClosedPort.Find()}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{ClosedPort.Find()}/devstoreaccount1;");

        var response = await PostAsync(app, Request());

        Assert.Equal(200, response.Status);
        Assert.Empty(Parameters(response));
    }

    [Fact]
    public async Task TheToken_NeverReachesTheLogs()
    {
        using var app = App();

        await PostAsync(app, Request(), "Bearer wrong");
        await PostAsync(app, Request());

        Assert.DoesNotContain(_logs.Lines, l => l.Contains(TestApp.PreCallToken, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(VaultReference)]
    [InlineData(VaultNameReference)]
    [InlineData(SamplePlaceholder)]
    public async Task TokenSettingStillAReferenceOrPlaceholder_ItsTextDoesNotAuthenticate(string literal)
    {
        using var app = App(s => s["PreCall:BearerToken"] = literal);

        var response = await PostAsync(app, Request(), "Bearer " + literal);

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task TokenSettingStillAReference_LogsOneErrorNamingTheSettingNeverItsValue()
    {
        using var app = App(s => s["PreCall:BearerToken"] = VaultReference);

        await PostAsync(app, Request(), "Bearer " + VaultReference);
        await PostAsync(app, Request());

        var error = Assert.Single(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains("PreCall__BearerToken", error, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Everything, l => l.Contains(VaultName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenSettingStillTheSamplePlaceholder_LogsOneWarningNamingTheSetting()
    {
        using var app = App(s => s["PreCall:BearerToken"] = "replace-with-the-token-configured-in-simple-ai");

        await PostAsync(app, Request());
        await PostAsync(app, Request());

        var warning = Assert.Single(_logs.Lines, l => l.Contains("PreCall__BearerToken", StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnrichmentUrlStillAReference_IsTreatedAsMissing()
    {
        using var app = App(s => s["PreCall:EnrichmentUrl"] = $"@Microsoft.KeyVault(VaultName={VaultName};SecretName=precall-enrichment-url)");

        var response = await PostAsync(app, Request());

        Assert.Equal(200, response.Status);
        Assert.Equal("Dana Ortiz", Parameters(response)["customer_name"]);
        Assert.Contains(_logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("PreCall__EnrichmentUrl", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Everything, l => l.Contains(VaultName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnrichmentUrl_NeverReachesTheLogsWithItsPath()
    {
        const string secretPath = "/enrich/T000/B000/SECRET";
        _enrichment.Default(secretPath, FakeResponse.Json("{\"parameters\":{\"tier\":\"gold\"}}"));
        using var app = App(s => s["PreCall:EnrichmentUrl"] = _enrichment.Url(secretPath).ToString(), everyLevel: true);

        var response = await PostAsync(app, Request());

        Assert.Equal("gold", Parameters(response)["tier"]);
        Assert.Contains(_logs.Lines, l => l.Contains(_enrichment.BaseUrl.Authority, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Everything, l => l.Contains("B000/SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContactsTableNeverAnswers_AnswersEmptyWhenTheBudgetRunsOut()
    {
        await using var storage = new UnansweringServer();
        using var app = App(s => s["PreCall:LookupBudgetMilliseconds"] = "300", storage: StorageWithTablesAt(storage.Port));

        var response = await PostAsync(app, Request());

        Assert.Equal(200, response.Status);
        Assert.Empty(Parameters(response));
        Assert.True(storage.Accepted > 0, "the contacts read never reached the storage endpoint");
        Assert.Contains(_logs.Lines, l => l.Contains("300 ms budget", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void EnrichmentTimeoutNotInsideTheLookupBudget_StopsTheApp()
    {
        using var app = App(s =>
        {
            s["PreCall:EnrichmentUrl"] = _enrichment.Url("enrich").ToString();
            s["PreCall:EnrichmentTimeoutMilliseconds"] = "2000";
            s["PreCall:LookupBudgetMilliseconds"] = "2000";
        });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => app.GetRequiredService<Microsoft.Extensions.Options.IOptions<PreCallOptions>>().Value);
        Assert.Contains("must be below PreCall__LookupBudgetMilliseconds", error.Message, StringComparison.Ordinal);
    }
}
