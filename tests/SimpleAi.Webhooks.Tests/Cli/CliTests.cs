using Microsoft.Extensions.Time.Testing;
using SimpleAi.Cli;
using SimpleAi.Cli.Commands;

namespace SimpleAi.Webhooks.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private const long Timestamp = 1_776_004_200;
    private readonly string _bodyFile = Path.GetTempFileName();
    // The body of the npm standardwebhooks vector "completed": the fixture file without its final newline.
    private readonly byte[] _body = Encoding.UTF8.GetBytes(File.ReadAllText(RepoPaths.Fixture("webhook-call-completed.json")).TrimEnd('\n'));

    public CliTests() => File.WriteAllBytes(_bodyFile, _body);

    public void Dispose() => File.Delete(_bodyFile);

    private static (int Code, string Out, string Error) Run(string[] args, byte[]? stdin = null, long now = Timestamp)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(() => new MemoryStream(stdin ?? []), output, error);
        var code = new CliApp(console, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now))).Run(args);
        return (code, output.ToString(), error.ToString());
    }

    private (string Id, string Timestamp, string Signature) Sign(params string[] extra)
    {
        var (code, output, error) = Run(["sign", "--secret", TestSigning.Secret, "--body", _bodyFile, .. extra]);
        Assert.True(code == 0, error);
        var headers = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .ToDictionary(parts => parts[0], parts => parts[1].TrimEnd('\r'));
        return (headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"]);
    }

    [Fact]
    public void Sign_ReproducesTheIndependentVector()
    {
        var headers = Sign("--id", "msg_completed_2Kx9", "--timestamp", "1776004200");

        Assert.Equal(("msg_completed_2Kx9", "1776004200", "v1,2RtPONPufnUBAIHD8fM5u1/ZRqqoNOth22DVK9IzM9k="), headers);
    }

    [Fact]
    public void Sign_DefaultsToNewIdAndNow()
    {
        var headers = Sign();

        Assert.StartsWith("msg_", headers.Id, StringComparison.Ordinal);
        Assert.Equal("1776004200", headers.Timestamp);
    }

    [Fact]
    public void Sign_ReadsStandardInput()
    {
        var (code, output, _) = Run(["sign", "--secret", TestSigning.Secret, "--body", "-", "--id", "msg_completed_2Kx9", "--timestamp", "1776004200"], _body);

        Assert.Equal(0, code);
        Assert.Contains("webhook-signature: v1,2RtPONPufnUBAIHD8fM5u1/ZRqqoNOth22DVK9IzM9k=", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SignThenVerify_IsValid()
    {
        var (id, timestamp, signature) = Sign();

        var (code, output, _) = Run(["verify", "--secret", TestSigning.Secret, "--body", _bodyFile,
            "--header", $"webhook-id: {id}", "--header", $"webhook-timestamp: {timestamp}", "--header", $"webhook-signature: {signature}"]);

        Assert.Equal((0, "valid"), (code, output.Trim()));
    }

    [Fact]
    public void Verify_WithRotatedSecretsAndSvixHeaders_IsValid()
    {
        var (id, timestamp, signature) = Sign();

        var (code, _, _) = Run(["verify", "--secret", TestSigning.OtherSecret, "--secret", TestSigning.Secret, "--body", _bodyFile,
            "--header", $"svix-id: {id}", "--header", $"svix-timestamp: {timestamp}", "--header", $"Svix-Signature: {signature}"]);

        Assert.Equal(0, code);
    }

    [Fact]
    public void Verify_WrongSecret_ExitsOneWithReasonOnStandardError()
    {
        var (id, timestamp, signature) = Sign();

        var (code, output, error) = Run(["verify", "--secret", TestSigning.OtherSecret, "--body", _bodyFile,
            "--header", $"webhook-id: {id}", "--header", $"webhook-timestamp: {timestamp}", "--header", $"webhook-signature: {signature}"]);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("invalid: no signature matches", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_OldCapture_NeedsNowToPass()
    {
        var (id, timestamp, signature) = Sign();
        string[] args = ["verify", "--secret", TestSigning.Secret, "--body", _bodyFile,
            "--header", $"webhook-id: {id}", "--header", $"webhook-timestamp: {timestamp}", "--header", $"webhook-signature: {signature}"];

        var late = Run(args, now: Timestamp + 3600);
        var replayed = Run([.. args, "--now", timestamp], now: Timestamp + 3600);

        Assert.Equal(1, late.Code);
        Assert.Contains("in the past", late.Error, StringComparison.Ordinal);
        Assert.Equal(0, replayed.Code);
    }

    [Fact]
    public void Verify_MissingHeader_IsInvalidNamingIt()
    {
        var (code, _, error) = Run(["verify", "--secret", TestSigning.Secret, "--body", _bodyFile, "--header", "webhook-id: msg_1"]);

        Assert.Equal(1, code);
        Assert.Contains("webhook-timestamp", error, StringComparison.Ordinal);
    }

    public static TheoryData<string[]> UsageErrors() => new()
    {
        new[] { "verify", "--body", "x.json" },
        new[] { "sign", "--secret", TestSigning.Secret },
        new[] { "sign", "--secret", "whsec_%%%", "--body", "-" },
        new[] { "sign", "--secret", TestSigning.Secret, "--body", "/no/such/file.json" },
        new[] { "sign", "--secret", TestSigning.Secret, "--body", "-", "--timestamp", "soon" },
        new[] { "verify", "--secret", TestSigning.Secret, "--body", "-", "--header", "no-colon-here" },
        new[] { "verify", "--secret", TestSigning.Secret, "--body", "-", "--tolerance", "-5" },
        new[] { "frobnicate" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void UsageError_ExitsTwoWithOneLineError(string[] args)
    {
        var (code, _, error) = Run(args);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("%%%", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sign")]
    [InlineData("verify")]
    [InlineData("fake-api")]
    [InlineData("listen")]
    [InlineData("register")]
    public void Help_ShowsAnExample(string command)
    {
        var (code, output, _) = Run([command, "--help"]);

        Assert.Equal(0, code);
        Assert.Contains($"Example: simpleai-webhooks {command}", output, StringComparison.Ordinal);
    }
}
