using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Tests.Signing;

public sealed class WebhookSecretTests
{
    [Theory]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("  whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw  ")]
    public void ValidSecret_WithOrWithoutPrefix_Parses(string value)
    {
        Assert.True(WebhookSecret.TryParse(value, out var secret, out _));
        Assert.Equal(24, secret.Key.Length);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("whsec_", "empty")]
    [InlineData("whsec_not base64!!", "not base64")]
    [InlineData("whsec_abc", "not base64")]
    public void InvalidSecret_IsRefusedWithReason(string? value, string reason)
    {
        Assert.False(WebhookSecret.TryParse(value, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var secret = WebhookSecret.Parse(TestSigning.Secret);

        Assert.Equal("whsec_***", secret.ToString());
    }

    [Fact]
    public void ParseList_SplitsOnSpacesAndCommas()
    {
        var secrets = WebhookSecret.ParseList($"{TestSigning.Secret}, {TestSigning.OtherSecret}");

        Assert.Equal(2, secrets.Count);
    }

    [Fact]
    public void ParseList_ErrorNamesTheEntryNotTheSecret()
    {
        var exception = Assert.Throws<FormatException>(() => WebhookSecret.ParseList($"{TestSigning.Secret} whsec_%%secret%%"));

        Assert.Contains("#2", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("%%secret%%", exception.Message, StringComparison.Ordinal);
    }
}
