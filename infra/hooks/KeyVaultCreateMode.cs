// azd preprovision hook (azure.yaml): decides how main.bicep creates the Key Vault, so that `azd up` after
// `azd down` in the same environment succeeds.
//
// The vault's name is fixed per environment (kv-<token of subscription, resource group, environment, location>).
// `azd down` deletes it, but soft delete keeps the name taken for 90 days, and with purge protection (on by default)
// nobody can purge it, so a plain re-create fails. A vault in that state can be recovered, secrets included, by
// deploying it with createMode 'recover'; but 'recover' fails when there is nothing to recover. This hook asks Azure
// Resource Manager for the subscription's soft-deleted vaults and sets SIMPLEAI_KEY_VAULT_CREATE_MODE (read by
// main.parameters.json) to 'recover' when this environment's vault is among them, 'default' otherwise. It signs in
// as azd does (`azd auth token`), so it needs nothing but the .NET SDK that builds the app.
//
// Run by azd as `dotnet run --file infra/hooks/KeyVaultCreateMode.cs`; reads AZURE_SUBSCRIPTION_ID,
// AZURE_RESOURCE_GROUP, AZURE_LOCATION and AZURE_ENV_NAME from the azd environment. SIMPLEAI_ARM_ENDPOINT points it
// at another cloud's Resource Manager (default https://management.azure.com/).
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

const string ModeVariable = "SIMPLEAI_KEY_VAULT_CREATE_MODE";
const string DeletedVaultsApiVersion = "2023-07-01";

var subscription = Setting("AZURE_SUBSCRIPTION_ID");
var resourceGroup = Setting("AZURE_RESOURCE_GROUP");
var location = Setting("AZURE_LOCATION");
var environmentName = Setting("AZURE_ENV_NAME");
var arm = new Uri(Setting("SIMPLEAI_ARM_ENDPOINT") is { Length: > 0 } endpoint ? endpoint.TrimEnd('/') + "/" : "https://management.azure.com/");

var mode = "default";
if (subscription.Length == 0 || resourceGroup.Length == 0 || location.Length == 0 || environmentName.Length == 0)
{
    Console.WriteLine("Key Vault: no resource group chosen yet, so no earlier vault to recover; creating it.");
}
else
{
    try
    {
        var deleted = await FindDeletedVaultAsync();
        if (deleted is not null)
        {
            mode = "recover";
            Console.WriteLine($"Key Vault: {deleted} of this environment is soft-deleted (azd down); recovering it with its secrets.");
        }
        else
        {
            Console.WriteLine("Key Vault: no soft-deleted vault of this environment; creating or updating it.");
        }
    }
    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or JsonException or System.ComponentModel.Win32Exception)
    {
        // A deployer without subscription-wide read (deletedVaults are listed per subscription) still deploys a
        // fresh environment; only a redeploy after azd down needs the answer, and it then fails with Key Vault's
        // own message about the soft-deleted name.
        Console.Error.WriteLine($"Key Vault: could not list soft-deleted vaults ({ex.Message}); assuming there is none.");
    }
}

Run("azd", ["env", "set", ModeVariable, mode, .. environmentName.Length > 0 ? new[] { "--environment", environmentName } : []]);
return 0;

// The deleted vault this environment's template would recreate: same resource group, location and azd-env-name tag,
// the inputs of the vault name's token (the subscription is the one listed).
async Task<string?> FindDeletedVaultAsync()
{
    var token = AccessToken();
    using var http = new HttpClient { BaseAddress = arm, Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var next = $"subscriptions/{subscription}/providers/Microsoft.KeyVault/deletedVaults?api-version={DeletedVaultsApiVersion}";
    while (next is not null)
    {
        using var response = await http.GetAsync(new Uri(next, UriKind.RelativeOrAbsolute));
        response.EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        foreach (var vault in page.RootElement.GetProperty("value").EnumerateArray())
        {
            if (IsThisEnvironments(vault.GetProperty("properties")))
            {
                return vault.GetProperty("name").GetString();
            }
        }

        next = page.RootElement.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
    }

    return null;
}

bool IsThisEnvironments(JsonElement properties)
{
    var vaultId = properties.TryGetProperty("vaultId", out var id) ? id.GetString() ?? "" : "";
    var inGroup = vaultId.Contains($"/resourceGroups/{resourceGroup}/providers/Microsoft.KeyVault/vaults/", StringComparison.OrdinalIgnoreCase);
    var inLocation = properties.TryGetProperty("location", out var at)
        && string.Equals(Region(at.GetString()), Region(location), StringComparison.OrdinalIgnoreCase);
    var ofEnvironment = properties.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
        && tags.TryGetProperty("azd-env-name", out var tag) && tag.GetString() == environmentName;
    return inGroup && inLocation && ofEnvironment;
}

// azd's own credential: `azd auth token --output json` prints {"token": "...", "expiresOn": "..."}.
string AccessToken()
{
    using var answer = JsonDocument.Parse(Run("azd", ["auth", "token", "--output", "json"]));
    return answer.RootElement.GetProperty("token").GetString()
        ?? throw new InvalidOperationException("azd auth token printed no token");
}

static string Run(string program, string[] arguments)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
    var stderr = process.StandardError.ReadToEndAsync();
    var stdout = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return process.ExitCode == 0
        ? stdout
        : throw new InvalidOperationException($"{program} {arguments[0]} {arguments[1]} failed ({process.ExitCode}): {stderr.Result.Trim()}");
}

// "West Europe" and "westeurope" name the same region.
static string Region(string? name) => (name ?? "").Replace(" ", "", StringComparison.Ordinal);

static string Setting(string name) => Environment.GetEnvironmentVariable(name)?.Trim() ?? "";
