// Network isolation (vnetEnabled): a virtual network with the Function App's integration subnet (delegated to
// Microsoft.App/environments, as Flex Consumption requires) and a subnet of private endpoints for the storage
// account (blob, queue, table), Key Vault and, on the Service Bus transport, the namespace. Each endpoint registers
// its address in a private DNS zone linked to the network, so the app resolves the usual host names
// (<account>.blob.core.windows.net, <vault>.vault.azure.net, <namespace>.servicebus.windows.net) to private
// addresses. After Azure-Samples/functions-quickstart-dotnet-azd (infra/app/vnet.bicep,
// storage-PrivateEndpoint.bicep) and -service-bus (infra/app/servicebus-privateEndpoint.bicep), written out here
// because registry modules cannot be restored offline.
param name string
param location string
param tags object

param storageAccountId string
param keyVaultId string

@description('The Service Bus namespace of the serviceBus transport; empty on Storage Queues.')
param serviceBusNamespaceId string = ''

@description('Address space of the virtual network; the two subnets take its first two /24 blocks.')
param addressPrefix string = '10.0.0.0/16'

var appSubnetName = 'app'
var privateEndpointSubnetName = 'private-endpoints'

// Zone names from the cloud's own suffixes (no-hardcoded-env-urls): core.windows.net -> privatelink.blob.core.windows.net,
// .vault.azure.net -> privatelink.vaultcore.azure.net, and Service Bus shares the storage suffix's domain
// (servicebus.windows.net, servicebus.chinacloudapi.cn, servicebus.usgovcloudapi.net).
var storageSuffix = environment().suffixes.storage
var endpoints = concat(
  [
    {
      name: 'blob'
      serviceId: storageAccountId
      groupId: 'blob'
      zone: 'privatelink.blob.${storageSuffix}'
    }
    {
      name: 'queue'
      serviceId: storageAccountId
      groupId: 'queue'
      zone: 'privatelink.queue.${storageSuffix}'
    }
    {
      name: 'table'
      serviceId: storageAccountId
      groupId: 'table'
      zone: 'privatelink.table.${storageSuffix}'
    }
    {
      name: 'vault'
      serviceId: keyVaultId
      groupId: 'vault'
      zone: 'privatelink${replace(environment().suffixes.keyvaultDns, '.vault.', '.vaultcore.')}'
    }
  ],
  empty(serviceBusNamespaceId)
    ? []
    : [
        {
          name: 'servicebus'
          serviceId: serviceBusNamespaceId
          groupId: 'namespace'
          zone: 'privatelink.${replace(storageSuffix, 'core.', 'servicebus.')}'
        }
      ]
)

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: appSubnetName
  }

  resource privateEndpointSubnet 'subnets' existing = {
    name: privateEndpointSubnetName
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: vnet.name
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for endpoint in endpoints: {
    name: 'pe-${endpoint.name}-${name}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: vnet::privateEndpointSubnet.id
      }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: {
            privateLinkServiceId: endpoint.serviceId
            groupIds: [
              endpoint.groupId
            ]
          }
        }
      ]
    }
  }
]

resource dnsZoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.name
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

@description('The subnet the Function App integrates with (virtualNetworkSubnetId).')
output appSubnetId string = vnet::appSubnet.id
output name string = vnet.name
