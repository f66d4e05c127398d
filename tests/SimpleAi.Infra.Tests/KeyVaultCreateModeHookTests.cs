namespace SimpleAi.Infra.Tests;

/// <summary>
/// The azd preprovision hook (infra/hooks/KeyVaultCreateMode.cs) run as azd runs it, <c>dotnet run --file</c>, against a
/// local Resource Manager (a real HTTP server answering the deletedVaults list) and a stand-in <c>azd</c> on PATH that
/// prints an access token and records the <c>azd env set</c> the hook makes.
/// </summary>
[Collection(WholeProcessCollection.Name)]
public sealed class KeyVaultCreateModeHookTests : IAsyncLifetime
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string DeletedVaults = $"/subscriptions/{Subscription}/providers/Microsoft.KeyVault/deletedVaults";
    private const string Token = "fake-arm-token";

    private readonly DirectoryInfo bin = Directory.CreateTempSubdirectory("simpleai-fake-azd-");
    private FakeHttpServer arm = null!;

    private string Calls => Path.Combine(bin.FullName, "calls");

    public async Task InitializeAsync()
    {
        arm = await FakeHttpServer.StartAsync();
        var azd = Path.Combine(bin.FullName, "azd");
        File.WriteAllText(azd, $$"""
            #!/bin/sh
            case "$1" in
              auth) printf '%s\n' '{"token":"{{Token}}","expiresOn":"2030-01-01T00:00:00Z"}' ;;
              *) printf '%s\n' "$*" >> "{{Calls}}" ;;
            esac
            """);
        // A POSIX shell stand-in, like the Bicep CLI the template tests run: these tests run where azd's posix hook does.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(azd, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public async Task DisposeAsync()
    {
        await arm.DisposeAsync();
        bin.Delete(recursive: true);
    }

    [Fact]
    public async Task SoftDeletedVaultOfThisEnvironment_IsRecovered()
    {
        arm.Script(DeletedVaults, FakeResponse.Json($$"""
            {"value": [
              {{DeletedVault("kv-staging", "rg-simpleai-prod", "westeurope", "staging")}},
              {{DeletedVault("kv-otherrg", "rg-other", "westeurope", "prod")}},
              {{DeletedVault("kv-north", "rg-simpleai-prod", "northeurope", "prod")}}
            ], "nextLink": "{{arm.Url("page-2?api-version=2023-07-01&$skiptoken=2")}}"}
            """));
        arm.Script("/page-2", FakeResponse.Json($$"""
            {"value": [ {{DeletedVault("kv-ours", "RG-SimpleAI-Prod", "West Europe", "prod")}} ]}
            """));

        var (code, output) = await RunHookAsync(resourceGroup: "rg-simpleai-prod");

        Assert.Equal(0, code);
        Assert.Equal(["env set SIMPLEAI_KEY_VAULT_CREATE_MODE recover --environment prod"], File.ReadAllLines(Calls));
        Assert.Contains("kv-ours", output, StringComparison.Ordinal);
        Assert.All(arm.Requests, r => Assert.Equal($"Bearer {Token}", r.Header("Authorization")));
        Assert.Equal([DeletedVaults, "/page-2"], arm.Requests.Select(r => r.Path));
        Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyOtherEnvironmentsVaultsAreSoftDeleted_VaultIsCreated()
    {
        arm.Script(DeletedVaults, FakeResponse.Json($$"""
            {"value": [ {{DeletedVault("kv-staging", "rg-simpleai-prod", "westeurope", "staging")}} ]}
            """));

        var (code, _) = await RunHookAsync(resourceGroup: "rg-simpleai-prod");

        Assert.Equal(0, code);
        Assert.Equal(["env set SIMPLEAI_KEY_VAULT_CREATE_MODE default --environment prod"], File.ReadAllLines(Calls));
    }

    [Fact]
    public async Task ResourceManagerRefusesTheList_HookStillSucceeds_AndCreatesTheVault()
    {
        // A deployer with rights on the resource group only may not list the subscription's deleted vaults.
        arm.Script(DeletedVaults, FakeResponse.Json("""{"error":{"code":"AuthorizationFailed"}}""", status: 403));

        var (code, output) = await RunHookAsync(resourceGroup: "rg-simpleai-prod");

        Assert.Equal(0, code);
        Assert.Equal(["env set SIMPLEAI_KEY_VAULT_CREATE_MODE default --environment prod"], File.ReadAllLines(Calls));
        Assert.Contains("could not list soft-deleted vaults", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoResourceGroupChosenYet_CreatesTheVault_WithoutAskingAzure()
    {
        var (code, _) = await RunHookAsync(resourceGroup: "");

        Assert.Equal(0, code);
        Assert.Equal(["env set SIMPLEAI_KEY_VAULT_CREATE_MODE default --environment prod"], File.ReadAllLines(Calls));
        Assert.Empty(arm.Requests);
    }

    private static string DeletedVault(string name, string resourceGroup, string location, string environment) => $$$"""
        {"id": "/subscriptions/{{{Subscription}}}/providers/Microsoft.KeyVault/locations/{{{location.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()}}}/deletedVaults/{{{name}}}",
         "name": "{{{name}}}", "type": "Microsoft.KeyVault/deletedVaults",
         "properties": {"vaultId": "/subscriptions/{{{Subscription}}}/resourceGroups/{{{resourceGroup}}}/providers/Microsoft.KeyVault/vaults/{{{name}}}",
           "location": "{{{location}}}", "deletionDate": "2026-11-01T00:00:00Z", "scheduledPurgeDate": "2027-01-30T00:00:00Z",
           "tags": {"azd-env-name": "{{{environment}}}"}, "purgeProtectionEnabled": true}}
        """;

    /// <summary>Runs the hook with the environment azd gives hooks; returns its exit code and its stdout + stderr.</summary>
    private Task<(int Code, string Output)> RunHookAsync(string resourceGroup) =>
        RepoCommand.RunAsync("dotnet", ["run", "--file", Path.Combine("infra", "hooks", "KeyVaultCreateMode.cs")], new Dictionary<string, string?>
        {
            ["PATH"] = bin.FullName + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["AZURE_SUBSCRIPTION_ID"] = Subscription,
            ["AZURE_RESOURCE_GROUP"] = resourceGroup,
            ["AZURE_LOCATION"] = "westeurope",
            ["AZURE_ENV_NAME"] = "prod",
            ["SIMPLEAI_ARM_ENDPOINT"] = arm.BaseUrl.ToString(),
        });
}
