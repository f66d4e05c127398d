// Every role assignment of the deployment, least privilege, each on the one resource it is for. The app's
// identity gets data-plane roles only (never Owner or Contributor). Each assignment is named
// guid(scope.id, principalId, roleId), so a redeployment finds it again.
@description('Principal (object) id of the app\'s user-assigned identity.')
param identityPrincipalId string
param storageAccountName string
param keyVaultName string
param applicationInsightsName string

@description('Storage Queues transport: the app sends to and triggers on storage queues.')
param storageQueues bool

@description('The Service Bus namespace of the serviceBus transport; empty on Storage Queues.')
param serviceBusNamespaceName string = ''

@description('The Service Bus queues the app triggers on (its work queues); each gets Azure Service Bus Data Owner for the target-based scaler.')
param serviceBusTriggerQueueNames array = []

@description('Optional: the person or pipeline that deploys, given Key Vault Secrets Officer to set the secrets.')
param deployerPrincipalId string = ''

@description('User, Group or ServicePrincipal (azd: AZURE_PRINCIPAL_TYPE); empty lets Azure look the principal up.')
@allowed([
  ''
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string = ''

var roles = {
  // The Functions host's storage (keys, leases, the Flex Consumption deployment package) per the Functions docs
  // on host storage with an identity; also covers the app's own containers (event-bodies, call-snapshots, run-data).
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = if (!empty(serviceBusNamespaceName)) {
  name: serviceBusNamespaceName

  resource triggerQueues 'queues' existing = [for queueName in serviceBusTriggerQueueNames: {
    name: queueName
  }]
}

// Storage Blob Data Owner
resource storageBlobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityPrincipalId, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

// Storage Queue Data Contributor (Storage Queues transport only: on Service Bus no storage queue is used)
resource storageQueueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (storageQueues) {
  name: guid(storage.id, identityPrincipalId, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

// Storage Table Data Contributor
resource storageTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityPrincipalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

// Key Vault Secrets User
resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityPrincipalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// Monitoring Metrics Publisher
resource monitoringMetricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// Azure Service Bus Data Sender
resource serviceBusDataSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(serviceBusNamespaceName)) {
  name: guid(serviceBus.id, identityPrincipalId, roles.serviceBusDataSender)
  scope: serviceBus
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

// Azure Service Bus Data Receiver
resource serviceBusDataReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(serviceBusNamespaceName)) {
  name: guid(serviceBus.id, identityPrincipalId, roles.serviceBusDataReceiver)
  scope: serviceBus
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataReceiver)
  }
}

// Azure Service Bus Data Owner, on each queue the app triggers on and nowhere else. The Functions target-based scaler
// (Microsoft.Azure.WebJobs.Extensions.ServiceBus: ServiceBusTargetScaler -> ServiceBusMetricsProvider.GetMessageCountAsync)
// reads the queue's runtime properties (ServiceBusAdministrationClient.GetQueueRuntimePropertiesAsync, active message
// count), which needs the Manage right; Data Owner is the only built-in role that grants it. Without it the scaler
// throws "Target scaler is not supported." and scaling falls back to the peek-based monitor (one message, its age).
// The Flex Consumption Service Bus quickstart (Azure-Samples/functions-quickstart-dotnet-azd-service-bus) grants Data
// Owner for the same reason, on the namespace; here it is narrowed to the triggered queues, so the identity cannot
// create, change or delete any other entity of the namespace. Sender and Receiver above stay: they cover the queues
// the app uses without a trigger (the -poison queues it sends to and replays from), which need no Manage right.
resource serviceBusDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queueName, i) in serviceBusTriggerQueueNames: if (!empty(serviceBusNamespaceName)) {
    name: guid(serviceBus::triggerQueues[i].id, identityPrincipalId, roles.serviceBusDataOwner)
    scope: serviceBus::triggerQueues[i]
    properties: {
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
    }
  }
]

// Key Vault Secrets Officer (the deployer, optional: to set and rotate the secrets)
resource deployerKeyVaultSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    principalType: empty(deployerPrincipalType) ? null : deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}
