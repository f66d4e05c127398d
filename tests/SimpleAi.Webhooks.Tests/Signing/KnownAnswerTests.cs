using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using SimpleAi.Webhooks.Signing;
using StandardWebhooks;

namespace SimpleAi.Webhooks.Tests.Signing;

/// <summary>Vectors from independent signers: the npm standardwebhooks package (fixture file) and the NuGet one.</summary>
public sealed class KnownAnswerTests
{
    public static TheoryData<string> VectorNames() => new(Vectors().Select(v => v.Name));

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void NpmStandardWebhooksVector_Verifies(string name)
    {
        var vector = Vectors().Single(v => v.Name == name);
        var headers = new WebhookHeaders(vector.Id, vector.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), vector.Signature);
        using var verifier = new StandardWebhookVerifier(
            [WebhookSecret.Parse(vector.Secret)], TimeSpan.FromMinutes(5), new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(vector.Timestamp)));

        var result = verifier.Verify(Encoding.UTF8.GetBytes(vector.Body), headers);

        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void OurSigner_ReproducesNpmVector(string name)
    {
        var vector = Vectors().Single(v => v.Name == name);

        var headers = StandardWebhookSigner.Sign(WebhookSecret.Parse(vector.Secret), vector.Id, vector.Timestamp, Encoding.UTF8.GetBytes(vector.Body));

        Assert.Equal(vector.Signature, headers.Signature);
    }

    [Theory]
    [InlineData("webhook-call-completed.json")]
    [InlineData("webhook-call-started.json")]
    [InlineData("webhook-call-transcript-update.json")]
    [InlineData("get-call-completed.json")]
    public void NuGetStandardWebhooksSignature_VerifiesWithOurs(string fixture)
    {
        var body = RepoPaths.FixtureBytes(fixture);
        var at = DateTimeOffset.FromUnixTimeSeconds(1_776_004_200);
        var theirs = new StandardWebhook(TestSigning.Secret).Sign("msg_kat", at, Encoding.UTF8.GetString(body));
        using var verifier = new StandardWebhookVerifier([WebhookSecret.Parse(TestSigning.Secret)], TimeSpan.FromMinutes(5), new FakeTimeProvider(at));

        var result = verifier.Verify(body, new WebhookHeaders("msg_kat", "1776004200", theirs));

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void OurSignature_VerifiesWithNuGetStandardWebhooks()
    {
        var body = RepoPaths.FixtureBytes("webhook-call-completed.json");
        var headers = SignedByUs(body);

        var exception = Record.Exception(() => new StandardWebhook(TestSigning.Secret).Verify(Encoding.UTF8.GetString(body), headers));

        Assert.Null(exception);
    }

    [Fact]
    public void NuGetStandardWebhooks_RejectsWhatOursRejects_TamperedBody()
    {
        var body = RepoPaths.FixtureBytes("webhook-call-completed.json");
        var headers = SignedByUs(body);

        Assert.ThrowsAny<Exception>(() => new StandardWebhook(TestSigning.Secret).Verify(Encoding.UTF8.GetString(body) + " ", headers));
    }

    private static HeaderDictionary SignedByUs(byte[] body)
    {
        var ours = StandardWebhookSigner.Sign(WebhookSecret.Parse(TestSigning.Secret), "msg_ours", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
        return new HeaderDictionary
        {
            ["webhook-id"] = ours.Id,
            ["webhook-timestamp"] = ours.Timestamp,
            ["webhook-signature"] = ours.Signature,
        };
    }

    private static IEnumerable<Vector> Vectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Fixture("signature-vectors.json")));
        return document.RootElement.GetProperty("vectors").EnumerateArray()
            .Select(v => new Vector(
                v.GetProperty("name").GetString()!,
                v.GetProperty("secret").GetString()!,
                v.GetProperty("id").GetString()!,
                v.GetProperty("timestamp").GetInt64(),
                v.GetProperty("body").GetString()!,
                v.GetProperty("signature").GetString()!))
            .ToList();
    }

    private sealed record Vector(string Name, string Secret, string Id, long Timestamp, string Body, string Signature);
}
