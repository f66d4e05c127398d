using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Tests.SimpleAiApi;

/// <summary>The client as the app wires it (resilience handler included), against a real local HTTP server.</summary>
public sealed class SimpleAiClientTests : IAsyncLifetime
{
    private static readonly Guid CallId = Guid.Parse("123e4567-e89b-12d3-a456-426614174000");
    private const string CallPath = "/api/v1/calls/123e4567-e89b-12d3-a456-426614174000";

    private FakeHttpServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHttpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ServiceProvider App(string? scheme = null, int timeoutSeconds = 10, RecordingLoggerProvider? logs = null)
    {
        var settings = TestApp.Settings("UseDevelopmentStorage=true");
        settings["SimpleAi:BaseUrl"] = _server.Url("api/v1").ToString();
        settings["SimpleAi:AuthScheme"] = scheme;
        settings["SimpleAi:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TestApp.Build(settings, logs);
    }

    /// <summary>
    /// A retried request is one log line per try (method, host, status), not Polly's own two more per retry with the
    /// failure's stack trace (issue 22: every retry of the API printed stack traces on npm start).
    /// </summary>
    [Fact]
    public async Task RetriedRequest_LogsOneLinePerTry_AndNoStackTrace()
    {
        _server.Script(CallPath, FakeResponse.Text(503), FakeResponse.Text(503), Fixture());
        var logs = new RecordingLoggerProvider();
        using var app = App(logs: logs);

        await app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None);

        // What a sink writes: LogLevel.None is never written (the recorder keeps every call, so it is set aside here).
        var written = logs.Lines.Where(l => !l.StartsWith("None ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, _server.Requests.Count);
        Assert.DoesNotContain(written, l => l.Contains(" Polly", StringComparison.Ordinal));
        Assert.Equal(3, written.Count(l => l.Contains("HTTP GET", StringComparison.Ordinal) && l.Contains("answered", StringComparison.Ordinal)));
        Assert.DoesNotContain(written, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    private static FakeResponse Fixture() => FakeResponse.Json(RepoPaths.FixtureBytes("get-call-completed.json"));

    [Fact]
    public async Task GetCall_ReadsTheCallAndSendsTheRawKey()
    {
        _server.Script(CallPath, Fixture());
        using var app = App();

        var (call, json) = await app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None);

        Assert.Equal(("completed", "inbound", "human", 405d), (call.Status, call.Direction, call.AnsweredBy, call.Duration));
        Assert.Equal(["billing", "escalation"], call.Tags.Select(t => t.Name));
        Assert.Equal("negative", call.AnalysisResults.Single(r => r.AnalyzerId == 4).Result?.GetString());
        Assert.Equal(RepoPaths.FixtureBytes("get-call-completed.json"), json);
        Assert.Equal(TestApp.TestApiKey, Assert.Single(_server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task BearerScheme_PrefixesTheKey()
    {
        _server.Script(CallPath, Fixture());
        using var app = App(scheme: "Bearer");

        await app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None);

        Assert.Equal($"Bearer {TestApp.TestApiKey}", Assert.Single(_server.Requests).Header("Authorization"));
    }

    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task ClientErrors_AreNotRetried(int status)
    {
        _server.Script(CallPath, FakeResponse.Text(status));
        using var app = App();

        var error = await Assert.ThrowsAsync<SimpleAiApiException>(() => app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Single(_server.Requests);
        Assert.DoesNotContain(TestApp.TestApiKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task TransientErrors_AreRetried(int status)
    {
        _server.Script(CallPath, FakeResponse.Text(status), FakeResponse.Text(status), Fixture());
        using var app = App();

        var (call, _) = await app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None);

        Assert.Equal("completed", call.Status);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task RetryAfter_IsHonoured()
    {
        _server.Script(CallPath, FakeResponse.Text(429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "2" } }, Fixture());
        using var app = App();
        var clock = Stopwatch.StartNew();

        await app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {clock.Elapsed}");
    }

    [Fact]
    public async Task SlowAnswer_TimesOutAndIsRetried()
    {
        _server.Script(CallPath, Fixture() with { Delay = TimeSpan.FromSeconds(3) }, Fixture());
        using var app = App(timeoutSeconds: 1);

        var (call, _) = await app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None);

        Assert.Equal("completed", call.Status);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Theory]
    [InlineData("<html>gateway</html>")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    public async Task AnswerThatIsNotACall_Throws(string body)
    {
        _server.Script(CallPath, FakeResponse.Json(body));
        using var app = App();

        var error = await Assert.ThrowsAsync<SimpleAiApiException>(() => app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None));

        Assert.Equal(200, error.StatusCode);
    }

    [Fact]
    public async Task UnknownFields_AreTolerated()
    {
        _server.Script(CallPath, FakeResponse.Json("{\"status\":\"completed\",\"brand_new_field\":{\"x\":[1]},\"tags\":[]}"));
        using var app = App();

        var (call, _) = await app.GetRequiredService<SimpleAiClient>().GetCallAsync(CallId, CancellationToken.None);

        Assert.Equal("completed", call.Status);
    }
}
