using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Webhooks.Tests.PreCall;

public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("+15551234567", "+15551234567")]
    [InlineData("+1 (555) 123-4567", "+15551234567")]
    [InlineData("(555) 123-4567", "+15551234567")]
    [InlineData("555.123.4567", "+15551234567")]
    [InlineData("15551234567", "+15551234567")]
    [InlineData("0015551234567", "+15551234567")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData(" +49 (0)30 1234567 ", "+490301234567")]
    public void PlausibleNumbers_BecomeE164(string text, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.ToE164(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anonymous")]
    [InlineData("+1 555 CALL NOW")]
    [InlineData("123")]
    [InlineData("+1234567890123456789")]
    public void ImplausibleNumbers_AreNull(string? text)
    {
        Assert.Null(PhoneNumbers.ToE164(text));
    }

    [Fact]
    public void OtherDefaultCountry_IsPrefixed()
    {
        Assert.Equal("+442079460958", PhoneNumbers.ToE164("020 7946 0958", "44"));
    }
}
