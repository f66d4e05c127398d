// Key Vault in RBAC mode with the app's secrets. A secret is written only when its value is given, so a
// redeployment without it keeps what an operator set with `az keyvault secret set`. App settings reference the
// secrets without a version: a new version is picked up on the next refresh or restart.
// The name is fixed per environment and a deleted vault keeps it for 90 days (soft delete; with purge protection it
// cannot be purged either), so after `azd down` the azd preprovision hook (infra/hooks/KeyVaultCreateMode.cs) finds
// the soft-deleted vault and passes createMode 'recover': the vault comes back with its secrets instead of the
// deployment failing on the taken name.
param name string
param location string
param tags object

@description('Never turn off once on. On by default: a deleted vault and its secrets stay recoverable for 90 days.')
param enablePurgeProtection bool

@description('default creates the vault (fails while a soft-deleted vault has the name); recover brings the soft-deleted vault back with its secrets (fails when there is none).')
@allowed([
  'default'
  'recover'
])
param createMode string

@description('Private endpoint only (vnetEnabled): no public network access.')
param privateNetworking bool

@description('Names of the secrets the app references.')
param secretNames string[]

@description('Secret name to value; a name without a value (or with an empty one) is left as it is in the vault.')
@secure()
param secretValues object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    createMode: createMode
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }

  resource values 'secrets' = [
    for secretName in secretNames: if (!empty(secretValues[?secretName] ?? '')) {
      name: secretName
      properties: {
        value: secretValues[secretName]
        contentType: 'text/plain'
      }
    }
  ]
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri
