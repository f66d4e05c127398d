using Microsoft.Extensions.Time.Testing;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Tests.Signing;

public sealed class StandardWebhookVerifierTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_776_004_200);
    private static readonly byte[] Body = RepoPaths.FixtureBytes("webhook-call-completed.json");

    private readonly FakeTimeProvider _time = new(Now);

    private StandardWebhookVerifier Verifier(params string[] secrets) =>
        new(secrets.Select(WebhookSecret.Parse), TimeSpan.FromMinutes(5), _time);

    private static Func<string, string?> Headers(WebhookHeaders headers) => name => name switch
    {
        "webhook-id" => headers.Id,
        "webhook-timestamp" => headers.Timestamp,
        "webhook-signature" => headers.Signature,
        _ => null,
    };

    private static Func<string, string?> Headers(string? id, string? timestamp, string? signature) =>
        Headers(new WebhookHeaders(id, timestamp, signature));

    private SignatureVerification VerifySigned(Func<WebhookHeaders, WebhookHeaders> tamper, byte[]? body = null)
    {
        var signed = TestSigning.Sign(Body, Now, "msg_1");
        using var verifier = Verifier(TestSigning.Secret);
        return verifier.Verify(body ?? Body, Headers(tamper(signed)));
    }

    [Fact]
    public void CorrectlySignedBody_IsValid()
    {
        var result = VerifySigned(h => h);

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData("webhook-id")]
    [InlineData("webhook-timestamp")]
    [InlineData("webhook-signature")]
    public void MissingHeader_FailsNamingIt(string missing)
    {
        var signed = TestSigning.Sign(Body, Now, "msg_1");
        var all = Headers(signed);
        using var verifier = Verifier(TestSigning.Secret);

        var result = verifier.Verify(Body, name => name == missing ? null : all(name));

        Assert.Equal(SignatureFailure.MissingHeader, result.Failure);
        Assert.Contains(missing, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyHeader_CountsAsMissing()
    {
        var result = VerifySigned(h => h with { Signature = string.Empty });

        Assert.Equal(SignatureFailure.MissingHeader, result.Failure);
    }

    [Fact]
    public void SvixHeaderSpelling_IsAccepted()
    {
        var signed = TestSigning.Sign(Body, Now, "msg_1");
        using var verifier = Verifier(TestSigning.Secret);

        var result = verifier.Verify(Body, name => name switch
        {
            "svix-id" => signed.Id,
            "svix-timestamp" => signed.Timestamp,
            "svix-signature" => signed.Signature,
            _ => null,
        });

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1776004200")]
    [InlineData("+1776004200")]
    [InlineData(" 1776004200")]
    [InlineData("1776004200.5")]
    [InlineData("1.776e9")]
    [InlineData("99999999999999999999999")]
    public void NonNumericOrMalformedTimestamp_IsInvalidTimestamp(string timestamp)
    {
        var result = VerifySigned(h => h with { Timestamp = timestamp });

        Assert.Equal(SignatureFailure.InvalidTimestamp, result.Failure);
    }

    [Theory]
    [InlineData(-301, SignatureFailure.TimestampExpired)]
    [InlineData(-86_400, SignatureFailure.TimestampExpired)]
    [InlineData(301, SignatureFailure.TimestampInFuture)]
    [InlineData(86_400, SignatureFailure.TimestampInFuture)]
    public void TimestampOutsideTolerance_FailsEitherWay(int offsetSeconds, SignatureFailure expected)
    {
        var signed = TestSigning.Sign(Body, Now.AddSeconds(offsetSeconds), "msg_1");
        using var verifier = Verifier(TestSigning.Secret);

        var result = verifier.Verify(Body, Headers(signed));

        Assert.Equal(expected, result.Failure);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void TimestampAtToleranceEdge_IsValid(int offsetSeconds)
    {
        var signed = TestSigning.Sign(Body, Now.AddSeconds(offsetSeconds), "msg_1");
        using var verifier = Verifier(TestSigning.Secret);

        Assert.True(verifier.Verify(Body, Headers(signed)).IsValid);
    }

    [Fact]
    public void ExtremeTimestamp_IsInFutureNotOverflow()
    {
        var result = VerifySigned(h => h with { Timestamp = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(SignatureFailure.TimestampInFuture, result.Failure);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("v1")]
    [InlineData("v1,")]
    [InlineData("v1,not*base64!")]
    [InlineData("v1,AAAA")]
    [InlineData("v2,2RtPONPufnUBAIHD8fM5u1/ZRqqoNOth22DVK9IzM9k=")]
    [InlineData("v1a,2RtPONPufnUBAIHD8fM5u1/ZRqqoNOth22DVK9IzM9k=")]
    public void SignatureWithoutUsableV1Entry_IsMalformed(string signature)
    {
        var result = VerifySigned(h => h with { Signature = signature });

        Assert.Equal(SignatureFailure.MalformedSignature, result.Failure);
    }

    [Fact]
    public void SignatureFromAnotherSecret_IsMismatch()
    {
        var signed = TestSigning.Sign(Body, Now, "msg_1", TestSigning.OtherSecret);
        using var verifier = Verifier(TestSigning.Secret);

        var result = verifier.Verify(Body, Headers(signed));

        Assert.Equal(SignatureFailure.SignatureMismatch, result.Failure);
    }

    [Fact]
    public void TamperedBody_IsMismatch()
    {
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("\"attempt\":1", "\"attempt\":2", StringComparison.Ordinal));

        var result = VerifySigned(h => h, tampered);

        Assert.Equal(SignatureFailure.SignatureMismatch, result.Failure);
    }

    [Fact]
    public void TamperedId_IsMismatch()
    {
        var result = VerifySigned(h => h with { Id = "msg_2" });

        Assert.Equal(SignatureFailure.SignatureMismatch, result.Failure);
    }

    [Fact]
    public void TimestampReformattedWithinTolerance_IsMismatch()
    {
        // The signed content uses the header text: "01776004200" is the same instant but not what was signed.
        var result = VerifySigned(h => h with { Timestamp = "0" + h.Timestamp });

        Assert.Equal(SignatureFailure.SignatureMismatch, result.Failure);
    }

    [Fact]
    public void OneMatchingEntryAmongOthers_IsValid()
    {
        var result = VerifySigned(h => h with
        {
            Signature = $"v2,abc v1,AAAA v1,{Convert.ToBase64String(new byte[32])} {h.Signature} garbage",
        });

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void RotatedSecrets_AnyConfiguredSecretVerifies()
    {
        var signedWithNew = TestSigning.Sign(Body, Now, "msg_1", TestSigning.OtherSecret);
        var signedWithOld = TestSigning.Sign(Body, Now, "msg_1", TestSigning.Secret);
        using var verifier = Verifier(TestSigning.Secret, TestSigning.OtherSecret);

        Assert.True(verifier.Verify(Body, Headers(signedWithNew)).IsValid);
        Assert.True(verifier.Verify(Body, Headers(signedWithOld)).IsValid);
    }

    [Fact]
    public void ManySecrets_BeyondStackBuffer_StillVerify()
    {
        var secrets = Enumerable.Range(1, 12)
            .Select(i => "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"secret-number-{i:D2}-padding!!")))
            .ToArray();
        var signed = TestSigning.Sign(Body, Now, "msg_1", secrets[^1]);
        using var verifier = Verifier(secrets);

        Assert.True(verifier.Verify(Body, Headers(signed)).IsValid);
    }

    [Fact]
    public void LongWebhookId_BeyondStackBuffer_StillVerifies()
    {
        var id = "msg_" + new string('x', 2_000);
        var signed = TestSigning.Sign(Body, Now, id);
        using var verifier = Verifier(TestSigning.Secret);

        Assert.True(verifier.Verify(Body, Headers(signed)).IsValid);
    }

    [Fact]
    public void EmptyBody_SignedAsSuch_IsValid()
    {
        var signed = TestSigning.Sign([], Now, "msg_1");
        using var verifier = Verifier(TestSigning.Secret);

        Assert.True(verifier.Verify([], Headers(signed)).IsValid);
    }

    [Fact]
    public void ConcurrentVerification_SharesPooledHmacsSafely()
    {
        var signed = TestSigning.Sign(Body, Now, "msg_1");
        var forged = signed with { Id = "msg_2" };
        using var verifier = Verifier(TestSigning.Secret);

        var results = Enumerable.Range(0, 20_000).AsParallel()
            .Select(i => (i, valid: verifier.Verify(Body, Headers(i % 2 == 0 ? signed : forged)).IsValid))
            .ToList();

        Assert.All(results, r => Assert.Equal(r.i % 2 == 0, r.valid));
    }

    [Fact]
    public void NoSecrets_IsRefusedAtConstruction()
    {
        Assert.Throws<ArgumentException>(() => new StandardWebhookVerifier([], TimeSpan.FromMinutes(5)));
    }
}
