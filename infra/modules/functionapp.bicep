// The Function App on the Flex Consumption plan (FC1), .NET 10 isolated worker, deployed from a blob container
// and signed in everywhere with the user-assigned identity. HTTPS only, TLS 1.2, no FTP, no basic publishing
// credentials. On Flex the runtime comes from functionAppConfig: FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION are not app settings.
param planName string
param appName string
param location string
param tags object

@description('Tags of the app only (azd finds the service by azd-service-name).')
param appTags object

param identityId string

param storageBlobEndpoint string
param deploymentContainerName string

@description('The app settings (no secrets: secrets are Key Vault references).')
param appSettings object

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Always-ready instances of the per-function scale group "http" (every HTTP-triggered function of the app scales together in it); 0 for none.')
@minValue(0)
param alwaysReadyInstances int = 0

@description('The integration subnet (delegated to Microsoft.App/environments) when vnetEnabled; empty for none.')
param virtualNetworkSubnetId string = ''

@description('The Entra app registration that App Service Authentication signs console users in with; empty: no authentication configured.')
param consoleEntraClientId string = ''

// Paths that keep their own authentication (the Standard Webhooks signature, the pre-call bearer token): App Service
// Authentication leaves them alone. ConsoleFunctions and HttpFunctions name the same routes (a template test holds them).
var authExcludedPaths = [
  '/api/webhooks/simple-ai'
  '/api/precall'
]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, appTags)
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertMode: 'Optional'
    keyVaultReferenceIdentity: identityId
    // Stays public with vnetEnabled: Simple AI calls the webhook from the internet, and azd deploys through the
    // app's own publish endpoint. Outbound traffic goes through the integration subnet to the private endpoints.
    publicNetworkAccess: 'Enabled'
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // Flex Consumption's always-ready instances, per scale group: 'http' is the group of all HTTP triggers. None
        // (an empty list) scales the HTTP group to zero when idle.
        alwaysReady: alwaysReadyInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: appSettings
  }

  // Built-in authentication for the console: Microsoft Entra ID, every path but the excluded ones; the console's
  // functions then check the principal's roles (Console__AllowedRoles).
  resource auth 'config' = if (!empty(consoleEntraClientId)) {
    name: 'authsettingsV2'
    properties: {
      platform: {
        enabled: true
      }
      globalValidation: {
        requireAuthentication: true
        unauthenticatedClientAction: 'RedirectToLoginPage'
        redirectToProvider: 'azureactivedirectory'
        excludedPaths: authExcludedPaths
      }
      identityProviders: {
        azureActiveDirectory: {
          enabled: true
          registration: {
            openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
            clientId: consoleEntraClientId
          }
          validation: {
            allowedAudiences: [
              'api://${consoleEntraClientId}'
              consoleEntraClientId
            ]
          }
        }
      }
      httpSettings: {
        requireHttps: true
      }
      login: {
        tokenStore: {
          enabled: false
        }
      }
    }
  }

  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output authExcludedPaths array = authExcludedPaths
