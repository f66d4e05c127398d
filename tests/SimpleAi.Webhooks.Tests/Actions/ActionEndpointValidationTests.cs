using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Calls;

namespace SimpleAi.Webhooks.Tests.Actions;

/// <summary>The numbers an outbound delivery is made with are refused at start-up when unusable, never at the first try.</summary>
public sealed class ActionEndpointValidationTests
{
    private static IConfiguration Endpoint(string setting, string value) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Actions:crm-sync:Url"] = "https://crm.example.test/hooks",
            ["Actions:crm-sync:Secret"] = "whsec_" + Convert.ToBase64String("crm-sync-secret-0123456789ab"u8.ToArray()),
            [$"Actions:crm-sync:{setting}"] = value,
        })
        .Build();

    [Theory]
    [InlineData("TimeoutSeconds", "10")]
    [InlineData("TimeoutSeconds", "120")]
    [InlineData("MaxPerSecond", "0.5")]
    [InlineData("MaxPerSecond", "20")]
    public void UsableNumbers_AreNoProblem(string setting, string value) =>
        Assert.Empty(ActionEndpointValidation.Problems(Endpoint(setting, value), "crm-sync"));

    [Theory]
    [InlineData("TimeoutSeconds", "0", "Actions:crm-sync:TimeoutSeconds '0' must be a whole number of seconds from 1 to 120 (per try).")]
    [InlineData("TimeoutSeconds", "-5", "Actions:crm-sync:TimeoutSeconds '-5' must be a whole number of seconds from 1 to 120 (per try).")]
    [InlineData("TimeoutSeconds", "121", "Actions:crm-sync:TimeoutSeconds '121' must be a whole number of seconds from 1 to 120 (per try).")]
    [InlineData("TimeoutSeconds", "ten", "Actions:crm-sync:TimeoutSeconds 'ten' must be a whole number of seconds from 1 to 120 (per try).")]
    [InlineData("MaxPerSecond", "0", "Actions:crm-sync:MaxPerSecond '0' must be a number above 0 (deliveries a second).")]
    [InlineData("MaxPerSecond", "fast", "Actions:crm-sync:MaxPerSecond 'fast' must be a number above 0 (deliveries a second).")]
    public void UnusableNumber_IsNamedWithItsSetting(string setting, string value, string expected) =>
        Assert.Equal(expected, Assert.Single(ActionEndpointValidation.Problems(Endpoint(setting, value), "crm-sync")));

    [Theory]
    [InlineData("0")]
    [InlineData("121")]
    public void CallStartedForwardTimeoutOutOfRange_StopsTheStart(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CallStarted:TimeoutSeconds"] = value })
            .Build();
        using var provider = new ServiceCollection().AddCallStarted(configuration).BuildServiceProvider();

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CallStartedOptions>>().Value);

        Assert.Contains("TimeoutSeconds", refused.Message, StringComparison.Ordinal);
    }
}
