using System.Text.RegularExpressions;
using SimpleAi.Cli;
using SimpleAi.Cli.Commands;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary>
/// <c>simpleai-webhooks send</c> says why a delivery failed, against real local endpoints: a server answering 503 with
/// a body, a closed port, a server that never answers, a name that does not resolve, and TLS spoken to plain HTTP.
/// Identical failures are counted once, not printed once per delivery.
/// </summary>
public sealed class SendFailureTests
{
    private const string Maintenance = "Down for maintenance.\n  Back at 12:00 UTC, \"retry\" later.";

    private static async Task<(int Code, string Out, string Error)> SendAsync(string url, params string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(() => new MemoryStream(), output, error);
        var code = await new CliApp(console, TimeProvider.System).RunAsync(
            ["send", "call.completed", "--url", url, "--secret", TestSigning.Secret, .. extra]);
        return (code, output.ToString(), error.ToString());
    }

    private static JsonElement OnlyFailure(string json)
    {
        using var summary = JsonDocument.Parse(json);
        return Assert.Single(summary.RootElement.GetProperty("failures").EnumerateArray()).Clone();
    }

    /// <summary>
    /// docs/operations.md's two examples, an endpoint in maintenance and an app that is not running, are what send
    /// prints for them: the same lines, with only the times and rates (numbers with a decimal point) free to differ.
    /// </summary>
    [Fact]
    public async Task ReadmesExamples_AreWhatSendPrints()
    {
        var block = Assert.Single(ReadmeExamples.TestedBy($"{nameof(SendFailureTests)}.{nameof(ReadmesExamples_AreWhatSendPrints)}"));
        var examples = block.Body.Split("\n\n");
        await using var server = await FakeHttpServer.StartAsync();
        server.Default("/hook", FakeResponse.Text(503, "{\"error\": \"maintenance\", \"retry_after\": 600}"));

        var (_, maintenance, _) = await SendAsync(server.Url("hook").ToString(), "--count", "50");
        var (_, notRunning, _) = await SendAsync($"http://127.0.0.1:{ClosedPort.Find()}/hook", "--count", "1000");

        Assert.Equal(2, examples.Length);
        AssertPrinted(examples[0], maintenance);
        AssertPrinted(examples[1], notRunning);

        static void AssertPrinted(string example, string printed)
        {
            var expected = example.Split('\n');
            var lines = printed.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
            Assert.Equal(expected.Length, lines.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                var pattern = "^" + Regex.Replace(Regex.Escape(expected[i]), @"\d+\\\.\d+", @"\d+\.\d+") + "$";
                Assert.Matches(pattern, lines[i]);
            }
        }
    }

    [Fact]
    public async Task Non2xxAnswer_ShowsStatusReasonAndTheStartOfTheBodyOnOneLine()
    {
        await using var server = await FakeHttpServer.StartAsync();
        server.Default("/hook", FakeResponse.Text(503, Maintenance));

        var (code, output, _) = await SendAsync(server.Url("hook").ToString(), "--count", "3");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("  3x 503 Service Unavailable: Down for maintenance. Back at 12:00 UTC, \"retry\" later.\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non2xxAnswer_InJson_HasStatusReasonBodyAndCount()
    {
        await using var server = await FakeHttpServer.StartAsync();
        server.Default("/hook", FakeResponse.Text(503, Maintenance));

        var (code, output, _) = await SendAsync(server.Url("hook").ToString(), "--count", "3", "--json");

        Assert.Equal(ExitCodes.Failed, code);
        var failure = OnlyFailure(output);
        Assert.Equal(3, failure.GetProperty("count").GetInt32());
        Assert.Equal(503, failure.GetProperty("status").GetInt32());
        Assert.Equal("Service Unavailable", failure.GetProperty("reason").GetString());
        Assert.Equal("Down for maintenance. Back at 12:00 UTC, \"retry\" later.", failure.GetProperty("body").GetString());
    }

    [Fact]
    public async Task LongBody_IsCutToItsFirst200Characters()
    {
        await using var server = await FakeHttpServer.StartAsync();
        server.Default("/hook", FakeResponse.Text(500, string.Concat(Enumerable.Repeat("0123456789", 100))));

        var (_, output, _) = await SendAsync(server.Url("hook").ToString(), "--json");

        Assert.Equal(string.Concat(Enumerable.Repeat("0123456789", 20)) + "…", OnlyFailure(output).GetProperty("body").GetString());
    }

    [Fact]
    public async Task ClosedPort_SaysConnectionRefused()
    {
        var url = $"http://127.0.0.1:{ClosedPort.Find()}/hook";

        var (code, output, _) = await SendAsync(url, "--count", "5");
        var (_, json, _) = await SendAsync(url, "--json");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("  5x error: connection refused", output, StringComparison.Ordinal);
        Assert.Equal("connection refused", OnlyFailure(json).GetProperty("error").GetString());
        Assert.False(OnlyFailure(json).TryGetProperty("status", out _));
    }

    [Fact]
    public async Task ServerThatNeverAnswers_SaysTimedOutAfterTheTimeout()
    {
        await using var server = new UnansweringServer();

        var (code, json, _) = await SendAsync($"http://127.0.0.1:{server.Port}/hook", "--timeout", "1", "--json");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("timed out after 1 s", OnlyFailure(json).GetProperty("error").GetString());
    }

    [Fact]
    public async Task UnresolvableName_SaysNameNotResolved()
    {
        // .invalid never resolves (RFC 6761).
        var (code, json, _) = await SendAsync("http://simpleai-send-test.invalid/hook", "--json");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Equal("name not resolved: simpleai-send-test.invalid", OnlyFailure(json).GetProperty("error").GetString());
    }

    [Fact]
    public async Task TlsToAPlainHttpServer_SaysTlsFailure()
    {
        await using var server = await FakeHttpServer.StartAsync();
        var url = new UriBuilder(server.Url("hook")) { Scheme = "https" }.Uri.ToString();

        var (code, json, _) = await SendAsync(url, "--json");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.StartsWith("TLS failure: ", OnlyFailure(json).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyDifferentFailures_ListTheCommonestAndCountTheRest()
    {
        await using var server = await FakeHttpServer.StartAsync();
        server.Script("/hook", [.. Enumerable.Range(1, 14).Select(i => FakeResponse.Text(500, $"request {i} failed"))]);
        server.Default("/hook", FakeResponse.Text(503, "busy"));

        var (code, json, _) = await SendAsync(server.Url("hook").ToString(), "--count", "20", "--concurrency", "1", "--json");

        Assert.Equal(ExitCodes.Failed, code);
        using var summary = JsonDocument.Parse(json);
        var failures = summary.RootElement.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(10, failures.Count);
        Assert.Equal(("busy", 6), (failures[0].GetProperty("body").GetString(), failures[0].GetProperty("count").GetInt32()));
        Assert.Equal(5, summary.RootElement.GetProperty("other_failures").GetInt32());
    }

    [Fact]
    public async Task AllAnswered2xx_ListsNoFailures()
    {
        await using var server = await FakeHttpServer.StartAsync();
        server.Default("/hook", FakeResponse.Json("{}", 202));

        var (code, output, _) = await SendAsync(server.Url("hook").ToString(), "--count", "2");
        var (_, json, _) = await SendAsync(server.Url("hook").ToString(), "--json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.DoesNotContain("fail", output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(JsonDocument.Parse(json).RootElement.GetProperty("failures").EnumerateArray());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task TimeoutNotPositive_IsAUsageError(string timeout)
    {
        var (code, _, error) = await SendAsync("http://127.0.0.1:9/", "--timeout", timeout);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("error: --timeout", error, StringComparison.Ordinal);
    }
}
