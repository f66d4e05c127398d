using SimpleAi.Cli;
using SimpleAi.Cli.Commands;

namespace SimpleAi.Webhooks.Tests.Cli;

/// <summary>
/// <c>send</c>'s progress goes to standard error; when that is not a terminal (a pipe, a log file, a test's writer) it
/// is plain lines, never a bar redrawn with carriage returns or escape codes.
/// </summary>
public sealed class SendProgressTests
{
    [Fact]
    public async Task RedirectedStandardError_GetsNoCarriageReturnsOrEscapeCodes()
    {
        await using var server = await FakeHttpServer.StartAsync();
        server.Default("/hook", FakeResponse.Json("{}", 202));
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(() => new MemoryStream(), output, error);

        var code = await new CliApp(console, TimeProvider.System).RunAsync(
            ["send", "call.completed", "--url", server.Url("hook").ToString(), "--secret", TestSigning.Secret, "--count", "20"]);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith("sent 20 in ", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\r', error.ToString());
        Assert.DoesNotContain('\u001b', error.ToString());
    }
}
