using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SimpleAi.Cli;
using SimpleAi.Cli.Commands;
using SimpleAi.Cli.Local;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary><c>fake-api</c>: the app's own SimpleAiClient, wired as the app wires it, fetching calls from the local Simple AI.</summary>
public sealed class FakeApiTests : IDisposable
{
    private static readonly Uri AnyPort = new("http://127.0.0.1:0");
    private readonly string _folder = Directory.CreateTempSubdirectory("fake-api-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ServiceProvider App(Uri baseUrl)
    {
        var settings = TestApp.Settings("UseDevelopmentStorage=true");
        settings["SimpleAi:BaseUrl"] = baseUrl.ToString();
        settings["SimpleAi:MaxRetries"] = "0";
        return TestApp.Build(settings);
    }

    private static Task<(SimpleAiCall Call, byte[] Json)> GetAsync(ServiceProvider app, Guid callId) =>
        app.GetRequiredService<SimpleAiClient>().GetCallAsync(callId, CancellationToken.None);

    [Fact]
    public async Task GetCall_ServesTheFixtureCallUnderTheAskedUuid()
    {
        await using var api = await LocalSimpleAiApi.StartAsync(new LocalSimpleAiApiOptions { Url = AnyPort });
        using var app = App(api.BaseUrl);
        var callId = Guid.NewGuid();

        var (call, _) = await GetAsync(app, callId);

        Assert.Equal(callId.ToString("D"), call.SimpleUuid);
        Assert.Equal(("completed", "2026-04-12T14:36:47Z", 5), (call.Status, call.EndedAt?.Text, call.Transcripts.Count));
        Assert.Equal(["billing", "escalation"], call.Tags.Select(t => t.Name));
        Assert.Equal("/api/v1/", api.BaseUrl.AbsolutePath);
    }

    [Fact]
    public async Task LiveCall_GrowsItsTranscriptAtEachGet_ThenEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-04-12T14:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var api = await LocalSimpleAiApi.StartAsync(new LocalSimpleAiApiOptions { Url = AnyPort, LiveFor = TimeSpan.FromSeconds(60), Time = time });
        using var app = App(api.BaseUrl);
        var callId = Guid.NewGuid();

        var (first, _) = await GetAsync(app, callId);
        var (second, _) = await GetAsync(app, callId);
        var (other, _) = await GetAsync(app, Guid.NewGuid());
        time.Advance(TimeSpan.FromSeconds(60));
        var (ended, _) = await GetAsync(app, callId);

        Assert.Equal(("in-progress", null, 1), (first.Status, first.EndedAt?.Text, first.Transcripts.Count));
        Assert.Equal(("in-progress", 2), (second.Status, second.Transcripts.Count));
        Assert.Equal(first.Transcripts[0], second.Transcripts[0]);
        Assert.Single(other.Transcripts);
        Assert.Equal(("completed", "2026-04-12T14:36:47Z", 5), (ended.Status, ended.EndedAt?.Text, ended.Transcripts.Count));
    }

    [Fact]
    public async Task WithoutAuthorization_Answers401_AndAMalformedUuid404()
    {
        await using var api = await LocalSimpleAiApi.StartAsync(new LocalSimpleAiApiOptions { Url = AnyPort });
        using var http = new HttpClient { BaseAddress = api.BaseUrl };

        using var anonymous = await http.GetAsync(new Uri($"calls/{Guid.NewGuid():D}", UriKind.Relative));
        using var malformed = new HttpRequestMessage(HttpMethod.Get, new Uri("calls/not-a-uuid", UriKind.Relative)) { Headers = { { "Authorization", "any" } } };
        using var notFound = await http.SendAsync(malformed);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task Folder_ServesItsCallsByUuid_AndOthersAre404()
    {
        var known = Guid.NewGuid();
        var call = File.ReadAllText(RepoPaths.Fixture("get-call-completed.json")).Replace("\"answered_by\": \"human\"", "\"answered_by\": \"voicemail\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_folder, $"{known:D}.json"), call);
        await using var api = await LocalSimpleAiApi.StartAsync(new LocalSimpleAiApiOptions { Url = AnyPort, Calls = _folder });
        using var app = App(api.BaseUrl);

        var (served, _) = await GetAsync(app, known);
        var unknown = await Assert.ThrowsAsync<SimpleAiApiException>(() => GetAsync(app, Guid.NewGuid()));

        Assert.Equal(("voicemail", known.ToString("D")), (served.AnsweredBy, served.SimpleUuid));
        Assert.Equal(404, unknown.StatusCode);
    }

    [Fact]
    public async Task Command_PrintsWhereItServesAndOneLinePerRequest()
    {
        await using var cli = await RunningCli.StartAsync("fake-api", "--urls", "http://127.0.0.1:0", "--live-seconds", "600");
        using var app = App(cli.Url);
        var callId = Guid.NewGuid();

        await GetAsync(app, callId);
        await GetAsync(app, callId);
        var line = await cli.LineAsync($"calls/{callId:D}  200  live, transcript 2 of 5");

        Assert.Matches($@"^\d\d:\d\d:\d\d  GET /api/v1/calls/{callId:D}  200  live, transcript 2 of 5 lines$", line);
        Assert.Contains($"SimpleAi__BaseUrl={cli.Url}", cli.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, await cli.StopAsync());
    }

    [Fact]
    public async Task Command_WithAMissingCallsFile_IsAUsageError()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await new CliApp(new CliConsole(() => new MemoryStream(), output, error), TimeProvider.System)
            .RunAsync(["fake-api", "--urls", "http://127.0.0.1:0", "--calls", Path.Combine(_folder, "missing.json")]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"error: no file or folder '{Path.Combine(_folder, "missing.json")}'", error.ToString().Trim());
    }
}
