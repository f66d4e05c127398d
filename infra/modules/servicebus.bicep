// The Service Bus transport (queueTransport = 'serviceBus'): the work queues with dead-lettering and a delivery
// count equal to host.json's maxDequeueCount (the app re-sends a failed try itself, so the broker's count only grows
// when a try crashes or times out, and what it dead-letters the PoisonSweep function takes in), broker duplicate
// detection on `events` (MessageId = event id; a retry or a replay goes under an id of its own), and the
// `<queue>-poison` queues the app sends what it gives up on to. Local (SAS) auth is off.
param name string
param location string
param tags object

@description('Queues triggered by functions: events and step-<name>.')
param workQueueNames string[]

@description('Queues that receive the messages the app cannot use: <queue>-poison.')
param poisonQueueNames string[]

@description('The queue with broker duplicate detection on MessageId (the webhook event id).')
param duplicateDetectionQueueName string

@description('Deliveries before the broker dead-letters a message: host.json\'s extensions.queues.maxDequeueCount, the try count the app reads.')
@minValue(1)
param maxDeliveryCount int

@description('How long the broker remembers a MessageId on the duplicate-detection queue (ISO 8601).')
param duplicateDetectionWindow string = 'P1D'

@description('Private endpoint only (vnetEnabled): Premium (private endpoints need it), no public network access.')
param privateNetworking bool = false

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: privateNetworking ? 'Premium' : 'Standard'
    tier: privateNetworking ? 'Premium' : 'Standard'
    capacity: privateNetworking ? 1 : null
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
  }

  resource workQueues 'queues' = [
    for queue in workQueueNames: {
      name: queue
      properties: {
        deadLetteringOnMessageExpiration: true
        maxDeliveryCount: maxDeliveryCount
        lockDuration: 'PT1M'
        defaultMessageTimeToLive: 'P14D'
        requiresDuplicateDetection: queue == duplicateDetectionQueueName
        duplicateDetectionHistoryTimeWindow: queue == duplicateDetectionQueueName ? duplicateDetectionWindow : null
        requiresSession: false
        enablePartitioning: false
      }
    }
  ]

  // A poison message waits for `replay` however long that takes (it never expires), and `replay --where` gives back
  // messages of other calls, which counts as a delivery: a generous delivery count keeps them out of dead-lettering.
  resource poisonQueues 'queues' = [
    for queue in poisonQueueNames: {
      name: queue
      properties: {
        deadLetteringOnMessageExpiration: false
        maxDeliveryCount: 100
        lockDuration: 'PT1M'
        defaultMessageTimeToLive: 'P10675199DT2H48M5.4775807S'
        requiresDuplicateDetection: false
        requiresSession: false
        enablePartitioning: false
      }
    }
  ]
}

output name string = namespace.name
// serviceBusEndpoint is https://<name>.servicebus.<cloud suffix>:443/: the host is the fully qualified namespace.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0]
