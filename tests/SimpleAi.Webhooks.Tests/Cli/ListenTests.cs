using System.Net;
using SimpleAi.Cli;
using SimpleAi.Cli.Commands;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary><c>listen</c>: deliveries sent by the app's own SignedPoster (what every action step sends with), verified and printed.</summary>
public sealed class ListenTests : IDisposable
{
    private const string CallId = "123e4567-e89b-12d3-a456-426614174000";
    private readonly HttpClient _http = new();
    private readonly byte[] _document = Encoding.UTF8.GetBytes("""{"type":"simpleai.call.completed","step":"crm-sync","call_id":"123e4567-e89b-12d3-a456-426614174000"}""");

    public void Dispose() => _http.Dispose();

    private async Task<HttpStatusCode> DeliverAsync(RunningCli listen, string step, string secret = TestSigning.Secret)
    {
        using var response = await SignedPoster.PostAsync(
            _http, new Uri(listen.Url, step), WebhookSecret.Parse(secret), $"{CallId}:{step}", _document, TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
        return response.StatusCode;
    }

    [Fact]
    public async Task SignedDelivery_IsVerifiedPrintedAndAnswered200()
    {
        await using var listen = await RunningCli.StartAsync("listen", "--urls", "http://127.0.0.1:0", "--secret", TestSigning.Secret);

        var status = await DeliverAsync(listen, "crm-sync");
        var line = await listen.LineAsync("crm-sync");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches($@"^\d\d:\d\d:\d\d  crm-sync  {CallId}:crm-sync  signature valid  → 200$", line);
    }

    [Fact]
    public async Task BadSignature_IsAnswered401AndPrintedInvalid()
    {
        await using var listen = await RunningCli.StartAsync("listen", "--urls", "http://127.0.0.1:0", "--secret", TestSigning.Secret);

        var status = await DeliverAsync(listen, "crm-sync", TestSigning.OtherSecret);
        var line = await listen.LineAsync("crm-sync");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.EndsWith("signature INVALID: no signature matches a configured secret  → 401", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status503_IsAnsweredToValidDeliveries_AndARetryShowsItsTry()
    {
        await using var listen = await RunningCli.StartAsync("listen", "--urls", "http://127.0.0.1:0", "--secret", TestSigning.Secret, "--status", "503");

        var first = await DeliverAsync(listen, "crm-sync");
        var second = await DeliverAsync(listen, "crm-sync");
        var retry = await listen.LineAsync("try 2");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (first, second));
        Assert.EndsWith($"{CallId}:crm-sync  try 2  signature valid  → 503", retry, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StepSecret_VerifiesThatStep_AndSecretTheOthers()
    {
        await using var listen = await RunningCli.StartAsync(
            "listen", "--urls", "http://127.0.0.1:0", "--secret", TestSigning.Secret, "--step", $"notify={TestSigning.OtherSecret}", "--json");

        var notify = await DeliverAsync(listen, "notify", TestSigning.OtherSecret);
        var crm = await DeliverAsync(listen, "crm-sync");
        var notifyWithTheOtherSecret = await DeliverAsync(listen, "notify");
        await listen.LineAsync("(?s)(.*\"step\":\"notify\"){2}");
        var lines = listen.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized), (notify, crm, notifyWithTheOtherSecret));
        Assert.Equal(
            [("notify", "valid", 200), ("crm-sync", "valid", 200), ("notify", "invalid", 401)],
            lines.Select(l => (l.GetProperty("step").GetString(), l.GetProperty("signature").GetString(), l.GetProperty("status").GetInt32())));
        Assert.Equal($"{CallId}:crm-sync", lines[1].GetProperty("idempotency_key").GetString());
        Assert.Equal("simpleai.call.completed", lines[1].GetProperty("body").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("--status", "200")]
    [InlineData("--step", "crm-sync")]
    public async Task WithoutAUsableSecret_IsAUsageError(string option, string value)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await new CliApp(new CliConsole(() => new MemoryStream(), output, error), TimeProvider.System)
            .RunAsync(["listen", "--urls", "http://127.0.0.1:0", option, value]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("error: ", error.ToString(), StringComparison.Ordinal);
        Assert.Single(error.ToString().Trim().Split('\n'));
    }
}
