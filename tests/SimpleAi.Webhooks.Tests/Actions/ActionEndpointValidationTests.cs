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
            ["Actions:crm_sync:Url"] = "https://crm.example.test/hooks",
            ["Actions:crm_sync:Secret"] = "whsec_" + Convert.ToBase64String("crm-sync-secret-0123456789ab"u8.ToArray()),
            [$"Actions:crm_sync:{setting}"] = value,
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
    [InlineData("TimeoutSeconds", "0", "Actions__crm_sync__TimeoutSeconds '0' must be a whole number of seconds from 1 to 120 (per try).")]
    [InlineData("TimeoutSeconds", "-5", "Actions__crm_sync__TimeoutSeconds '-5' must be a whole number of seconds from 1 to 120 (per try).")]
    [InlineData("TimeoutSeconds", "121", "Actions__crm_sync__TimeoutSeconds '121' must be a whole number of seconds from 1 to 120 (per try).")]
    [InlineData("TimeoutSeconds", "ten", "Actions__crm_sync__TimeoutSeconds 'ten' must be a whole number of seconds from 1 to 120 (per try).")]
    [InlineData("MaxPerSecond", "0", "Actions__crm_sync__MaxPerSecond '0' must be a number above 0 (deliveries a second).")]
    [InlineData("MaxPerSecond", "fast", "Actions__crm_sync__MaxPerSecond 'fast' must be a number above 0 (deliveries a second).")]
    public void UnusableNumber_IsNamedWithItsSetting(string setting, string value, string expected) =>
        Assert.Equal(expected, Assert.Single(ActionEndpointValidation.Problems(Endpoint(setting, value), "crm-sync")));

    [Theory]
    [InlineData("crm-sync", "crm_sync", "Actions__crm_sync__Url")]
    [InlineData("follow-up", "follow_up", "Actions__follow_up__Url")]
    [InlineData("notify", "notify", "Actions__notify__Url")]
    [InlineData("a-b-c2", "a_b_c2", "Actions__a_b_c2__Url")]
    public void StepSettings_AreNamedWithLettersDigitsAndUnderscoresOnly(string step, string key, string urlSetting)
    {
        Assert.Equal(key, ActionEndpointOptions.KeyOf(step));
        Assert.Equal(urlSetting, ActionEndpointOptions.SettingName(step, "Url"));
        Assert.Matches("^[A-Za-z0-9_]+$", ActionEndpointOptions.SettingName(step, "Url"));
    }

    [Fact]
    public void SettingsUnderTheHyphenatedStepName_StopTheStart_NamingTheSettingsToUse()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Actions:crm-sync:Url"] = "https://crm.example.test/hooks",
                ["Actions:crm-sync:Secret"] = "whsec_" + Convert.ToBase64String("crm-sync-secret-0123456789ab"u8.ToArray()),
            })
            .Build();

        var problems = ActionEndpointValidation.Problems(configuration, "crm-sync").ToList();

        Assert.StartsWith("Actions:crm-sync is not read: the settings of step 'crm-sync' are Actions__crm_sync__Url, Actions__crm_sync__Secret", problems[0], StringComparison.Ordinal);
        Assert.Contains("\"crm_sync\"", problems[0], StringComparison.Ordinal);
        Assert.Contains(problems, p => p.StartsWith("Actions__crm_sync__Url", StringComparison.Ordinal));
    }

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
