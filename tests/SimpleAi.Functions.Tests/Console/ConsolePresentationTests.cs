using SimpleAi.Webhooks.Console;

namespace SimpleAi.Functions.Tests.Console;

/// <summary>How the console shows numbers and groups failures.</summary>
public sealed class ConsolePresentationTests
{
    [Theory]
    [InlineData("+15551234567", "+1 555 •••• 567")]
    [InlineData("+442071838750", "+44 207 •••• 750")]
    [InlineData("12345", "•••••")]
    [InlineData(null, null)]
    public void Numbers_AreMasked_KeepingTheCountryTheFirstThreeAndTheLastThreeDigits(string? number, string? masked)
    {
        Assert.Equal(masked, PhoneMask.Mask(number));
    }

    [Fact]
    public void TheSameFailureOfManyCalls_IsOneCause()
    {
        var first = FailuresView.CauseOf("the crm-sync endpoint (crm.example) answered 502 Bad Gateway, on the last of its 3 tries (call 0f8e3c2a-1111-2222-3333-444455556666)");
        var second = FailuresView.CauseOf("the crm-sync endpoint (crm.example) answered 502 Bad Gateway, on the last of its 9 tries (call 9a8e3c2a-1111-2222-3333-444455556666)");

        Assert.Equal(first, second);
        Assert.Equal("the crm-sync endpoint (crm.example) answered 502 Bad Gateway (call …)", first);
        Assert.NotEqual(first, FailuresView.CauseOf("the crm-sync endpoint (crm.example) answered 400 Bad Request: no such contact"));
    }
}
