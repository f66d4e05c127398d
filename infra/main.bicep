// SimpleAi.Functions: the Function App (Flex Consumption, .NET 10 isolated) that receives Simple AI webhooks, its
// storage (queues, tables, blobs) or Service Bus queues, Key Vault with its secrets, Application Insights, alerts
// and a workbook. One user-assigned identity signs in everywhere; no keys or connection strings. Key Vault audit
// events and storage (and Service Bus) logs go to Log Analytics; vnetEnabled puts storage, Key Vault and Service Bus
// behind private endpoints in a VNet the app integrates with.
// Deploy with `azd up` or `az deployment group create` (see infra/README.md).
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME); part of every name and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Region of every resource.')
param location string = resourceGroup().location

@description('The queue broker: Storage Queues (the default build) or Service Bus (build with -p:QueueTransport=ServiceBus).')
@allowed([
  'storageQueues'
  'serviceBus'
])
param queueTransport string = 'storageQueues'

@secure()
@description('The Simple AI webhook signing secret(s), whsec_..., space-separated while rotating. Stored in Key Vault as webhook-signing-secrets; leave empty to keep the value already there.')
param webhookSigningSecrets string = ''

@secure()
@description('The Simple AI API key. Stored in Key Vault as simpleai-api-key; leave empty to keep the value already there.')
param simpleAiApiKey string = ''

@secure()
@description('The token Simple AI sends to the pre-call hook (Authorization: Bearer ...). Stored in Key Vault as precall-bearer-token; leave empty to keep the value already there.')
param preCallBearerToken string = ''

@description('Country code for numbers the pre-call lookup gets without one.')
param preCallDefaultCountryCode string = '1'

@description('Time zone of the pre-call rules\' local_hour, local_day...: an IANA id (America/New_York) or UTC.')
param preCallTimeZone string = 'UTC'

@description('HTTP sources the pre-call journey asks with the contacts table (docs/precall.md). Each gets PreCall__Sources__<n>__Url and __Secret from Key Vault (precall-source-<name>-url, precall-source-<name>-secret; _ in the name written -). The computed parameters (PreCall__Rules__<n>) go in workflow.json.')
param preCallSources preCallSource[] = []

@secure()
@description('Optional values of the pre-call sources\' secrets: { "<name>": { "url": "https://...", "secret": "whsec_..." } }. Empty keeps what is in Key Vault.')
param preCallSourceSecrets object = {}

@description('Base URL of the Simple AI API.')
param simpleAiBaseUrl string = 'https://api.prod.usesimple.ai/api/v1/'

@description('Put before the API key in Authorization (for example Bearer); empty sends the raw key.')
param simpleAiAuthScheme string = ''

@description('Action steps the workflow (workflow.json) runs. Each gets Actions__<step key>__Url and __Secret (crm-sync: Actions__crm_sync__Url) from Key Vault (action-<step>-url, action-<step>-secret).')
param actions actionStep[] = []

@secure()
@description('Optional values of the action secrets: { "<step>": { "url": "https://...", "secret": "whsec_..." } }. Empty keeps what is in Key Vault.')
param actionSecrets object = {}

@description('Email address that receives the alerts; none when empty.')
param alertEmail string = ''

@description('Object id of whoever deploys (azd: AZURE_PRINCIPAL_ID), given Key Vault Secrets Officer to set the secrets; none when empty.')
param deployerPrincipalId string = ''

@description('What deployerPrincipalId is (azd: AZURE_PRINCIPAL_TYPE, ServicePrincipal when azd signs in as one, as in CI); empty lets Azure look the principal up.')
@allowed([
  ''
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string = ''

@description('Network isolation: a VNet the app integrates with, private endpoints for storage, Key Vault and Service Bus (Premium), and public network access off on all three. The app\'s own endpoint stays public (Simple AI calls it).')
param vnetEnabled bool = false

@description('recover brings back the soft-deleted vault of an earlier deployment (after azd down) with its secrets; the azd preprovision hook sets it (SIMPLEAI_KEY_VAULT_CREATE_MODE).')
@allowed([
  'default'
  'recover'
])
param keyVaultCreateMode string = 'default'

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Always-ready instances of the HTTP group (webhook, pre-call hook, console): kept running so the first delivery after idle does not wait for an instance to start (the ingest latency alert fires on such cold starts). Billed for their memory the whole time, busy or idle (the always-ready baseline), with no free grant; 0 scales to zero.')
@minValue(0)
@maxValue(1000)
param alwaysReadyInstances int = 0

@description('Days call data is kept: the app\'s Retention__Days (the RetentionSweep deletes rows, blobs and poison messages of older calls), and the blob lifecycle policy\'s backstop for the app\'s containers.')
@minValue(1)
@maxValue(3650)
param dataRetentionDays int = 30

@description('Key Vault purge protection (cannot be turned off again once on).')
param enableKeyVaultPurgeProtection bool = true

@description('Signature failures in 15 minutes above which the spike alert fires.')
@minValue(1)
param signatureFailureAlertThreshold int = 20

@description('Average time (ms) to answer a delivery over 15 minutes above which the latency alert fires.')
@minValue(1)
param ingestLatencyAlertThresholdMs int = 500

@description('Retryable failures in a row (408, 429, 5xx, timeout, unreachable) that pause a destination (an action step) until a probe answers 2xx; the destination-paused alert fires then.')
@minValue(1)
@maxValue(10000)
param destinationPauseAfterFailures int = 20

@description('An HTTP source of the pre-call journey; its URL and secret come from Key Vault.')
type preCallSource = {
  @description('Lower-case letters, digits and _: the prefix of its fields (crm:plan in rules, crm_plan in the answer).')
  name: string

  @description('Milliseconds it may take (default 1000), at most the lookup budget (3000).')
  timeoutMilliseconds: int?

  @description('call (default): the number, the call and the agent; number: the number only.')
  send: ('call' | 'number')?

  @description('Optional map of parameter name to a field of its answer: only these are answered.')
  parameters: object?
}

@description('The console (/api/console/): app roles or group object ids that may use it, comma separated (Console__AllowedRoles). Empty: the console is off. Needs consoleEntraClientId.')
param consoleAllowedRoles string = ''

@description('The client id of the Microsoft Entra app registration that signs people in to the console (App Service Authentication). Empty: the console is off.')
param consoleEntraClientId string = ''

@description('An action step of the post-call workflow that posts to an endpoint.')
type actionStep = {
  @description('The built-in action step.')
  step: 'crm-sync' | 'follow-up' | 'ticket' | 'notify'

  @description('document (default), or slack/teams incoming-webhook messages for notify.')
  format: ('document' | 'slack' | 'teams')?

  @description('Put the transcript lines into the document.')
  includeTranscript: bool?

  @description('Seconds per try (default 10).')
  timeoutSeconds: int?
}

func keyVaultReference(vaultUri string, secretName string) string =>
  '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName}/)'

func actionSecretName(step string, part string) string => 'action-${step}-${part}'

// Key Vault secret names hold letters, digits and '-': a source's '_' is written '-'.
func preCallSourceSecretName(source string, part string) string => 'precall-source-${replace(source, '_', '-')}-${part}'

func preCallSourceSetting(index int, part string) string => 'PreCall__Sources__${index}__${part}'

// An action step's app setting: its name with '-' written '_' (Actions__crm_sync__Url), as the app reads it
// (ActionEndpointOptions.SettingName). Azure refuses app setting names outside letters, digits, '.' and '_'.
func actionSetting(step string, part string) string => 'Actions__${replace(step, '-', '_')}__${part}'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

// Names the code uses (SimpleAi.Webhooks: QueueNames, TableNames, EventBodyStore.Container,
// CallSnapshotStore.Container, the built-in steps of AddSimpleAiWebhooks); InfrastructureTemplateTests holds them
// together with the code.
var builtInSteps = [
  'fetch-call'
  'crm-sync'
  'follow-up'
  'ticket'
  'notify'
]
var eventsQueueName = 'events'
var transcriptFetchQueueName = 'transcript-fetch'
var workQueueNames = concat([eventsQueueName, transcriptFetchQueueName], map(builtInSteps, step => 'step-${step}'))
var poisonQueueNames = map(workQueueNames, queue => '${queue}-poison')
var tableNames = [
  'deliveries'
  'runs'
  'contacts'
  'transcripts'
  'calls'
  'ratelimits'
  'destinations'
  'callindex'
  'precalls'
  'lifecycle'
]
// The app's blobs expire after dataRetentionDays, the window the RetentionSweep keeps tables to (Retention__Days):
// a blob is written at or after its call started, so the policy never deletes a blob of a call the sweep keeps.
var expiringContainerNames = [
  'event-bodies'
  'call-snapshots'
  'run-data'
]
var appContainerNames = expiringContainerNames

// The try on which a failing step marks its run failed is the try on which the host gives the message up: host.json's
// extensions.queues.maxDequeueCount, which the app reads itself (with any AzureFunctionsJobHost__extensions__queues__…
// override; no copy of it is an app setting). On Service Bus the app re-sends a failed try for later itself, and the
// queues' maxDeliveryCount (deliveries whose function crashed before the app could) is the same number.
var maxDequeueCount = loadJsonContent('../host.json').extensions.queues.maxDequeueCount

var names = {
  identity: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  serviceBus: '${abbrs.serviceBusNamespaces}${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  applicationInsights: '${abbrs.insightsComponents}${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}api-${resourceToken}'
  virtualNetwork: '${abbrs.networkVirtualNetworks}${resourceToken}'
}
var deploymentContainerName = 'app-package-${take(names.functionApp, 32)}-${take(resourceToken, 7)}'
var useServiceBus = queueTransport == 'serviceBus'

var secretNames = {
  webhookSigningSecrets: 'webhook-signing-secrets'
  simpleAiApiKey: 'simpleai-api-key'
  preCallBearerToken: 'precall-bearer-token'
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    queueNames: useServiceBus ? [] : concat(workQueueNames, poisonQueueNames)
    tableNames: tableNames
    containerNames: concat(appContainerNames, [deploymentContainerName])
    expiringContainerNames: expiringContainerNames
    dataRetentionDays: dataRetentionDays
    privateNetworking: vnetEnabled
  }
}

module serviceBus 'modules/servicebus.bicep' = if (useServiceBus) {
  name: 'serviceBus'
  params: {
    name: names.serviceBus
    location: location
    tags: tags
    workQueueNames: workQueueNames
    poisonQueueNames: poisonQueueNames
    duplicateDetectionQueueName: eventsQueueName
    maxDeliveryCount: maxDequeueCount
    privateNetworking: vnetEnabled
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyVault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: enableKeyVaultPurgeProtection
    createMode: keyVaultCreateMode
    privateNetworking: vnetEnabled
    secretNames: concat(
      [
        secretNames.webhookSigningSecrets
        secretNames.simpleAiApiKey
        secretNames.preCallBearerToken
      ],
      flatten(map(actions, action => [actionSecretName(action.step, 'url'), actionSecretName(action.step, 'secret')])),
      flatten(map(preCallSources, source => [preCallSourceSecretName(source.name, 'url'), preCallSourceSecretName(source.name, 'secret')]))
    )
    secretValues: reduce(
      preCallSources,
      reduce(
        actions,
        {
          '${secretNames.webhookSigningSecrets}': webhookSigningSecrets
          '${secretNames.simpleAiApiKey}': simpleAiApiKey
          '${secretNames.preCallBearerToken}': preCallBearerToken
        },
        (all, action) =>
          union(all, {
            '${actionSecretName(action.step, 'url')}': actionSecrets[?action.step].?url ?? ''
            '${actionSecretName(action.step, 'secret')}': actionSecrets[?action.step].?secret ?? ''
          })
      ),
      (all, source) =>
        union(all, {
          '${preCallSourceSecretName(source.name, 'url')}': preCallSourceSecrets[?source.name].?url ?? ''
          '${preCallSourceSecretName(source.name, 'secret')}': preCallSourceSecrets[?source.name].?secret ?? ''
        })
    )
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module network 'modules/network.bicep' = if (vnetEnabled) {
  name: 'network'
  params: {
    name: names.virtualNetwork
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
    keyVaultId: keyVault.outputs.id
    serviceBusNamespaceId: useServiceBus ? resourceId('Microsoft.ServiceBus/namespaces', names.serviceBus) : ''
  }
  dependsOn: [
    serviceBus
  ]
}

module diagnostics 'modules/diagnostics.bicep' = {
  name: 'diagnostics'
  params: {
    workspaceId: monitoring.outputs.logAnalyticsId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    serviceBusNamespaceName: useServiceBus ? serviceBus!.outputs.name : ''
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  params: {
    identityPrincipalId: identity.outputs.principalId
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    storageQueues: !useServiceBus
    serviceBusNamespaceName: useServiceBus ? names.serviceBus : ''
    serviceBusTriggerQueueNames: useServiceBus ? workQueueNames : []
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
  dependsOn: [
    storage
    keyVault
    monitoring
    serviceBus
  ]
}

// Identity-based connections: <connection>__credential = managedidentity with the identity's client id.
var identityConnection = {
  credential: 'managedidentity'
  clientId: identity.outputs.clientId
}

var storageSettings = {
  AzureWebJobsStorage__credential: identityConnection.credential
  AzureWebJobsStorage__clientId: identityConnection.clientId
  AzureWebJobsStorage__blobServiceUri: storage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: storage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: storage.outputs.tableEndpoint
  SimpleAiStorage__credential: identityConnection.credential
  SimpleAiStorage__clientId: identityConnection.clientId
  SimpleAiStorage__blobServiceUri: storage.outputs.blobEndpoint
  SimpleAiStorage__queueServiceUri: storage.outputs.queueEndpoint
  SimpleAiStorage__tableServiceUri: storage.outputs.tableEndpoint
}

var serviceBusSettings = useServiceBus
  ? {
      SimpleAiServiceBus__fullyQualifiedNamespace: serviceBus!.outputs.fullyQualifiedNamespace
      SimpleAiServiceBus__credential: identityConnection.credential
      SimpleAiServiceBus__clientId: identityConnection.clientId
    }
  : {}

var telemetrySettings = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
}

// The app's own settings: the same names as local.settings.sample.json and the options classes.
// The console (/api/console/): behind App Service Authentication (Microsoft Entra ID) and a role check when both are
// given; otherwise off in Azure (the app answers its console with 403 unless Console__AllowedRoles is set).
var consoleEnabled = !empty(consoleAllowedRoles) && !empty(consoleEntraClientId)

var appOwnSettings = {
  // The app refuses to start when its build's queue triggers are of another transport (azd builds the environment's).
  Queues__Transport: queueTransport
  Webhook__SigningSecrets: keyVaultReference(keyVault.outputs.uri, secretNames.webhookSigningSecrets)
  Webhook__TimestampToleranceSeconds: '300'
  Ingest__MaxBodyBytes: '1048576'
  Ingest__MaxInlineBodyBytes: '40960'
  Ingest__RetryAfterSeconds: '10'
  // The PoisonSweep timer: a run whose message the host poisons by itself is failed within a minute.
  Workflow__PoisonSweepSchedule: '*/30 * * * * *'
  // Call data is kept as long as the blob lifecycle policy keeps blobs: one value for tables, blobs and poison queues.
  Retention__Days: string(dataRetentionDays)
  // The RetentionSweep timer: daily, 03:30 UTC.
  Retention__SweepSchedule: '0 30 3 * * *'
  SimpleAi__ApiKey: keyVaultReference(keyVault.outputs.uri, secretNames.simpleAiApiKey)
  SimpleAi__BaseUrl: simpleAiBaseUrl
  SimpleAi__AuthScheme: simpleAiAuthScheme
  SimpleAi__TimeoutSeconds: '10'
  SimpleAi__MaxRetries: '3'
  SimpleAi__FetchTries: '6'
  SimpleAi__FetchRetryDelaySeconds: '15'
  PreCall__BearerToken: keyVaultReference(keyVault.outputs.uri, secretNames.preCallBearerToken)
  PreCall__DefaultCountryCode: preCallDefaultCountryCode
  PreCall__EnrichmentUrl: ''
  PreCall__EnrichmentTimeoutMilliseconds: '1500'
  PreCall__LookupBudgetMilliseconds: '3000'
  PreCall__TimeZone: preCallTimeZone
  // A transformation of the pre-call parameters ships with the app (next to workflow.json), like the rules.
  PreCall__Transform: ''
  Transcripts__CoalesceMilliseconds: '2000'
  CallStarted__Url: ''
  CallStarted__Secret: ''
  CallStarted__TimeoutSeconds: '10'
  // A destination (action step) failing this many times in a row pauses; waiting deliveries ask again at most this often.
  Destinations__PauseAfterFailures: string(destinationPauseAfterFailures)
  Destinations__RecheckSeconds: '60'
  Destinations__FirstProbeSeconds: '30'
  Console__AllowedRoles: consoleEnabled ? consoleAllowedRoles : ''
  Console__ApplicationInsightsResourceId: monitoring.outputs.applicationInsightsId
  Console__PageSize: '50'
  // The identity the OpenTelemetry exporter authenticates with (Application Insights has local auth disabled).
  AZURE_CLIENT_ID: identity.outputs.clientId
}

var actionSettings = reduce(
  actions,
  {},
  (all, action) =>
    union(
      all,
      {
        '${actionSetting(action.step, 'Url')}': keyVaultReference(keyVault.outputs.uri, actionSecretName(action.step, 'url'))
        '${actionSetting(action.step, 'Secret')}': keyVaultReference(keyVault.outputs.uri, actionSecretName(action.step, 'secret'))
      },
      action.?format == null ? {} : { '${actionSetting(action.step, 'Format')}': action.?format },
      action.?includeTranscript == null ? {} : { '${actionSetting(action.step, 'IncludeTranscript')}': string(action.?includeTranscript) },
      action.?timeoutSeconds == null ? {} : { '${actionSetting(action.step, 'TimeoutSeconds')}': string(action.?timeoutSeconds) }
    )
)

// Each pre-call source by its index (PreCall__Sources__0__Url), as the app binds the list.
var preCallSourceSettings = reduce(
  range(0, length(preCallSources)),
  {},
  (all, i) =>
    union(
      all,
      {
        '${preCallSourceSetting(i, 'Name')}': preCallSources[i].name
        '${preCallSourceSetting(i, 'Url')}': keyVaultReference(keyVault.outputs.uri, preCallSourceSecretName(preCallSources[i].name, 'url'))
        '${preCallSourceSetting(i, 'Secret')}': keyVaultReference(keyVault.outputs.uri, preCallSourceSecretName(preCallSources[i].name, 'secret'))
        '${preCallSourceSetting(i, 'TimeoutMilliseconds')}': string(preCallSources[i].?timeoutMilliseconds ?? 1000)
        '${preCallSourceSetting(i, 'Send')}': preCallSources[i].?send ?? 'call'
      },
      toObject(items(preCallSources[i].?parameters ?? {}), p => '${preCallSourceSetting(i, 'Parameters')}__${p.key}', p => string(p.value))
    )
)

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    tags: tags
    appTags: {
      'azd-service-name': 'api'
    }
    identityId: identity.outputs.id
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    alwaysReadyInstances: alwaysReadyInstances
    virtualNetworkSubnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
    appSettings: union(storageSettings, serviceBusSettings, telemetrySettings, appOwnSettings, actionSettings, preCallSourceSettings)
    consoleEntraClientId: consoleEnabled ? consoleEntraClientId : ''
  }
  // The app must not start before its identity may read its storage and secrets (through the private endpoints
  // when vnetEnabled: the network module's output already orders it after them).
  dependsOn: [
    rbac
  ]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: resourceToken
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    serviceBusNamespaceId: useServiceBus ? resourceId('Microsoft.ServiceBus/namespaces', names.serviceBus) : ''
    alertEmail: alertEmail
    signatureFailureThreshold: signatureFailureAlertThreshold
    ingestAverageThresholdMs: ingestLatencyAlertThresholdMs
  }
  dependsOn: [
    serviceBus
  ]
}

// No AZURE_LOCATION or AZURE_RESOURCE_GROUP output: azd sets those itself, and `azd down` deletes every output of
// the template from the environment, so echoing them here would make the next `azd up` ask for them again (and fail
// under --no-prompt).
output AZURE_TENANT_ID string = subscription().tenantId
output AZURE_QUEUE_TRANSPORT string = queueTransport
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_URI string = 'https://${functionApp.outputs.defaultHostName}'
output SIMPLEAI_WEBHOOK_URL string = 'https://${functionApp.outputs.defaultHostName}/api/webhooks/simple-ai'
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_SERVICE_BUS_NAMESPACE string = useServiceBus ? serviceBus!.outputs.fullyQualifiedNamespace : ''
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AZURE_LOG_ANALYTICS_NAME string = monitoring.outputs.logAnalyticsName
output AZURE_VNET_NAME string = vnetEnabled ? network!.outputs.name : ''
output AZURE_WORKBOOK_ID string = alerts.outputs.workbookId
