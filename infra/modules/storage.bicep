// The storage account: the Functions host's own storage (AzureWebJobsStorage), the Flex Consumption deployment
// container, and the app's queues (Storage Queues transport), tables and blob containers. Keys are off: every
// client signs in with Microsoft Entra ID.
param name string
param location string
param tags object

@description('Queues to create (empty on the Service Bus transport, where the queues live on the namespace).')
param queueNames string[]

param tableNames string[]

@description('Blob containers to create, the Flex Consumption deployment container among them.')
param containerNames string[]

@description('Blob containers whose blobs (event bodies, call snapshots, run data) are deleted after dataRetentionDays.')
param expiringContainerNames string[]

@minValue(1)
param dataRetentionDays int

@description('Private endpoints only (vnetEnabled): no public network access. Deployment (azd deploy) still works: it posts the package to the app, which writes it to the deployment container through its VNet integration.')
param privateNetworking bool

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      bypass: privateNetworking ? 'None' : 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: {
        enabled: true
        days: 7
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: 7
      }
    }

    resource containers 'containers' = [
      for container in containerNames: {
        name: container
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource queues 'queues' = [
      for queue in queueNames: {
        name: queue
      }
    ]
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource tables 'tables' = [
      for table in tableNames: {
        name: table
      }
    ]
  }

  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'expire-app-data'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: [
                  'blockBlob'
                ]
                prefixMatch: [for container in expiringContainerNames: '${container}/']
              }
              actions: {
                baseBlob: {
                  delete: {
                    daysAfterModificationGreaterThan: dataRetentionDays
                  }
                }
              }
            }
          }
        ]
      }
    }
    dependsOn: [
      storage::blobService::containers
    ]
  }
}

output id string = storage.id
output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
