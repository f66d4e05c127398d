namespace SimpleAi.Functions.Tests.Hosting;

/// <summary>
/// A secret setting that still holds an unresolved Key Vault reference (App Service passes the reference's own text
/// when it cannot read the secret) or the sample's placeholder is no secret: where a missing secret stops the app, so
/// does this text, with a message naming the setting and never showing the value.
/// </summary>
public sealed class SecretSettingsTests
{
    private const string VaultName = "kv-simpleai-x7q2";

    public static TheoryData<string> Unresolved() =>
    [
        $"@Microsoft.KeyVault(SecretUri=https://{VaultName}.vault.azure.net/secrets/the-secret/)",
        $"@Microsoft.KeyVault(VaultName={VaultName};SecretName=the-secret)",
        $"replace-with-the-secret-of-{VaultName}",
    ];

    /// <summary>Starts the app's host as the worker does (options validated on start); the start-up error, or null.</summary>
    private static async Task<string?> StartupErrorAsync(Action<Dictionary<string, string?>> change)
    {
        var settings = TestApp.Settings("UseDevelopmentStorage=true");
        change(settings);
        return await StartupCheck.ErrorAsync(configuration => configuration.AddInMemoryCollection(settings));
    }

    private static void AssertNamesTheSettingNotTheValue(string? error, string setting)
    {
        Assert.NotNull(error);
        Assert.Contains(setting, error, StringComparison.Ordinal);
        Assert.DoesNotContain(VaultName, error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Unresolved))]
    public async Task ApiKeyStillAReferenceOrPlaceholder_StopsTheAppNamingTheSetting(string literal)
    {
        AssertNamesTheSettingNotTheValue(await StartupErrorAsync(s => s["SimpleAi:ApiKey"] = literal), "SimpleAi__ApiKey");
    }

    [Theory]
    [MemberData(nameof(Unresolved))]
    public async Task SigningSecretsStillAReferenceOrPlaceholder_StopsTheAppNamingTheSetting(string literal)
    {
        AssertNamesTheSettingNotTheValue(await StartupErrorAsync(s => s["Webhook:SigningSecrets"] = literal), "Webhook__SigningSecrets");
    }

    [Theory]
    [MemberData(nameof(Unresolved))]
    public async Task ActionEndpointStillAReferenceOrPlaceholder_StopsTheAppNamingTheSetting(string literal)
    {
        var urlError = await StartupErrorAsync(s =>
        {
            s["Workflow:Steps:0:Step"] = "fetch-call";
            s["Workflow:Steps:1:Step"] = "notify";
            s["Actions:notify:Url"] = literal;
            s["Actions:notify:Secret"] = TestSigning.OtherSecret;
        });
        var secretError = await StartupErrorAsync(s =>
        {
            s["Workflow:Steps:0:Step"] = "fetch-call";
            s["Workflow:Steps:1:Step"] = "notify";
            s["Actions:notify:Url"] = "https://hooks.example.com/services/T000/B000/SECRET";
            s["Actions:notify:Secret"] = literal;
        });

        AssertNamesTheSettingNotTheValue(urlError, "Actions__notify__Url");
        AssertNamesTheSettingNotTheValue(secretError, "Actions__notify__Secret");
    }

    [Theory]
    [MemberData(nameof(Unresolved))]
    public async Task CallStartedEndpointStillAReferenceOrPlaceholder_StopsTheAppNamingTheSetting(string literal)
    {
        var urlError = await StartupErrorAsync(s =>
        {
            s["CallStarted:Url"] = literal;
            s["CallStarted:Secret"] = TestSigning.OtherSecret;
        });
        var secretError = await StartupErrorAsync(s =>
        {
            s["CallStarted:Url"] = "https://hooks.example.com/started";
            s["CallStarted:Secret"] = literal;
        });

        AssertNamesTheSettingNotTheValue(urlError, "CallStarted__Url");
        AssertNamesTheSettingNotTheValue(secretError, "CallStarted__Secret");
    }

    [Theory]
    [MemberData(nameof(Unresolved))]
    public async Task PreCallTokenStillAReferenceOrPlaceholder_DoesNotStopTheApp(string literal)
    {
        Assert.Null(await StartupErrorAsync(s => s["PreCall:BearerToken"] = literal));
    }

    [Fact]
    public async Task CallStartedForwardingOff_Starts()
    {
        Assert.Null(await StartupErrorAsync(s =>
        {
            s["CallStarted:Url"] = string.Empty;
            s["CallStarted:Secret"] = string.Empty;
        }));
    }
}
