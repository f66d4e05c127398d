using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Tests.Hosting;

/// <summary>What counts as an unresolved reference or a placeholder, and what stays a secret.</summary>
public sealed class SecretSettingTests
{
    [Theory]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/precall-bearer-token/)")]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/precall-bearer-token/ec96f02080254f109c51a1f14cdb1931)")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-abc;SecretName=precall-bearer-token)")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-abc;SecretName=precall-bearer-token;SecretVersion=ec96f020)")]
    [InlineData("  @microsoft.keyvault(SecretUri=https://kv-abc.vault.azure.net/secrets/x)  ")]
    [InlineData("@Microsoft.AppConfiguration(Endpoint=https://appcs-abc.azconfig.io; Key=precall-token)")]
    public void ReferenceText_IsAnUnresolvedKeyVaultReference(string value)
    {
        Assert.True(SecretSetting.IsUnresolved(value));
        Assert.Contains("unresolved Key Vault reference", SecretSetting.Reason(value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replace-with-your-simple-ai-api-key")]
    [InlineData("replace-with-the-token-configured-in-simple-ai")]
    [InlineData("REPLACE-WITH-something")]
    public void SamplePlaceholder_IsUnresolved(string value)
    {
        Assert.Contains("placeholder", SecretSetting.Reason(value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(TestSigning.Secret)]
    [InlineData(TestApp.TestApiKey)]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXXX")]
    [InlineData("token-with-@Microsoft.KeyVault(-inside")]
    [InlineData("a-token-that-says-replace-with-later")]
    public void SecretOrEmpty_IsNotUnresolved(string? value)
    {
        Assert.False(SecretSetting.IsUnresolved(value));
        Assert.Null(SecretSetting.Problem("PreCall__BearerToken", value));
    }

    [Fact]
    public void Problem_NamesTheSettingNeverTheValue()
    {
        var problem = SecretSetting.Problem("SimpleAi__ApiKey", "@Microsoft.KeyVault(VaultName=kv-secret-name-xyz;SecretName=simpleai-api-key)");

        Assert.StartsWith("SimpleAi__ApiKey holds an unresolved Key Vault reference", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("kv-secret-name-xyz", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("simpleai-api-key", problem, StringComparison.Ordinal);
    }
}
