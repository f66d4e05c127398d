// Alerts on the app's own log lines and requests (Application Insights: traces, requests, customMetrics) and a
// workbook for the operator. The texts matched here are the app's log message templates; keep them in step.
param namePrefix string
param location string
param tags object
param applicationInsightsId string

@description('Service Bus namespace id on the serviceBus transport (dead-letter alert); empty on Storage Queues.')
param serviceBusNamespaceId string = ''

@description('Where alerts are sent; no action group when empty (alerts still fire in the portal).')
param alertEmail string = ''

@description('Signature failures in 15 minutes above which the spike alert fires.')
@minValue(1)
param signatureFailureThreshold int = 20

@description('p95 duration of WebhookIngest, in milliseconds, above which the latency alert fires.')
@minValue(1)
param ingestP95ThresholdMs int = 1000

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: take('simpleai', 12)
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = empty(alertEmail)
  ? {}
  : {
      actionGroups: [
        actionGroup.id
      ]
    }

var logAlerts = [
  {
    name: 'poison-messages'
    displayName: 'SimpleAi: messages moved to a poison queue'
    description: 'A message went to a <queue>-poison queue: the app could not use it, or a step failed on every try. Inspect the poison queue and replay (see infra/README.md).'
    severity: 2
    windowSize: 'PT15M'
    query: '''
traces
| where message startswith "Moved a message from" or message has "MaxDequeueCount"
| where message contains "poison"
'''
    timeAggregation: 'Count'
    metricMeasureColumn: null
    threshold: 0
    dimensions: []
  }
  {
    name: 'workflow-run-failed'
    displayName: 'SimpleAi: a workflow run failed'
    description: 'A step failed on its last try (host.json maxDequeueCount): its run is marked failed in table runs with the step error.'
    severity: 2
    windowSize: 'PT15M'
    query: '''
traces
| where message has "failed on try" and message endswith "(last try: True)"
| parse message with "Step " Step " of run " RunId " failed on try " *
'''
    timeAggregation: 'Count'
    metricMeasureColumn: null
    threshold: 0
    dimensions: [
      {
        name: 'Step'
        operator: 'Include'
        values: [
          '*'
        ]
      }
    ]
  }
  {
    name: 'ingest-5xx'
    displayName: 'SimpleAi: WebhookIngest answered 5xx'
    description: 'The ingest function answered 5xx (503: the queue did not accept the event). Simple AI retries; check the storage account or Service Bus namespace.'
    severity: 1
    windowSize: 'PT5M'
    query: '''
requests
| where name == "WebhookIngest" and resultCode startswith "5"
'''
    timeAggregation: 'Count'
    metricMeasureColumn: null
    threshold: 0
    dimensions: []
  }
  {
    name: 'signature-failures'
    displayName: 'SimpleAi: spike in webhook signature failures'
    description: 'Many deliveries were refused for their signature: a rotated webhook secret not yet in Webhook__SigningSecrets, clock skew, or someone probing the endpoint.'
    severity: 2
    windowSize: 'PT15M'
    query: '''
traces
| where message startswith "Refused a delivery: signature"
'''
    timeAggregation: 'Count'
    metricMeasureColumn: null
    threshold: signatureFailureThreshold
    dimensions: []
  }
  {
    name: 'ingest-latency-p95'
    displayName: 'SimpleAi: WebhookIngest p95 latency high'
    description: 'The 95th percentile of WebhookIngest duration is above the threshold: slow queue sends, cold starts, or large bodies going to Blob Storage.'
    severity: 3
    windowSize: 'PT15M'
    query: '''
requests
| where name == "WebhookIngest"
| summarize P95 = percentile(duration, 95)
'''
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'P95'
    threshold: ingestP95ThresholdMs
    dimensions: []
  }
]

resource scheduledQueries 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for alert in logAlerts: {
    name: 'alert-${namePrefix}-${alert.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: alert.displayName
      description: alert.description
      severity: alert.severity
      enabled: true
      scopes: [
        applicationInsightsId
      ]
      evaluationFrequency: 'PT5M'
      windowSize: alert.windowSize
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: alert.query
            timeAggregation: alert.timeAggregation
            metricMeasureColumn: alert.metricMeasureColumn
            dimensions: alert.dimensions
            operator: 'GreaterThan'
            threshold: alert.threshold
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: actions
    }
  }
]

resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = if (!empty(serviceBusNamespaceId)) {
  name: 'alert-${namePrefix}-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'Messages in a Service Bus dead-letter queue: a message expired or exceeded maxDeliveryCount. Inspect and resubmit (see infra/README.md).'
    severity: 2
    enabled: true
    scopes: [
      serviceBusNamespaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'dead-lettered'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: empty(alertEmail)
      ? []
      : [
          {
            actionGroupId: actionGroup.id
          }
        ]
  }
}

// The workbook: one tile per question an operator asks of the pipeline.
func tile(name string, title string, query string, visualization string) object => {
  type: 3
  name: name
  content: {
    version: 'KqlItem/1.0'
    title: title
    query: query
    size: 0
    queryType: 0
    resourceType: 'microsoft.insights/components'
    timeContextFromParameter: 'TimeRange'
    visualization: visualization
  }
  customWidth: '50'
}

var workbookItems = [
  {
    type: 1
    name: 'about'
    content: {
      json: '## Simple AI webhooks\nIngest, duplicates, signature failures, workflow steps and runs. Log lines come from the app\'s ILogger messages; metrics from the meter `SimpleAi.Webhooks`.'
    }
  }
  {
    type: 9
    name: 'parameters'
    content: {
      version: 'KqlParameterItem/1.0'
      style: 'pills'
      queryType: 0
      resourceType: 'microsoft.insights/components'
      parameters: [
        {
          id: 'b0b6c1c4-0c67-4c1d-9d0e-2f4a5e3f3a01'
          version: 'KqlParameterItem/1.0'
          name: 'TimeRange'
          label: 'Time range'
          type: 4
          isRequired: true
          value: {
            durationMs: 86400000
          }
          typeSettings: {
            selectableValues: [
              {
                durationMs: 3600000
              }
              {
                durationMs: 14400000
              }
              {
                durationMs: 86400000
              }
              {
                durationMs: 604800000
              }
            ]
          }
        }
      ]
    }
  }
  tile('ingest-rate', 'Ingest rate: WebhookIngest requests by result code', '''
requests
| where name == "WebhookIngest"
| summarize Requests = count() by bin(timestamp, 5m), resultCode
''', 'timechart')
  tile('accepted-by-type', 'Accepted deliveries by event type', '''
traces
| where message startswith "Accepted "
| parse message with "Accepted " EventType " " EventId " for call " CallId " (attempt " Attempt ")"
| summarize Accepted = count() by bin(timestamp, 5m), EventType
''', 'timechart')
  tile('events-received-metric', 'Events received (metric simpleai.webhooks.events_received)', '''
customMetrics
| where name == "simpleai.webhooks.events_received"
| extend EventType = tostring(customDimensions["event_type"])
| summarize Events = sum(valueSum) by bin(timestamp, 5m), EventType
''', 'timechart')
  tile('duplicates', 'Duplicate deliveries (no effect)', '''
traces
| where message startswith "Duplicate delivery of "
| parse message with "Duplicate delivery of " EventType " " EventId ": no effect"
| summarize Duplicates = count() by bin(timestamp, 5m), EventType
| union (
    customMetrics
    | where name == "simpleai.webhooks.duplicate_deliveries"
    | summarize Duplicates = sum(valueSum) by bin(timestamp, 5m), EventType = "(metric)")
''', 'timechart')
  tile('signature-failures', 'Signature failures by failure', '''
traces
| where message startswith "Refused a delivery: signature "
| parse message with "Refused a delivery: signature " Failure ": " Reason
| summarize Failures = count() by bin(timestamp, 5m), Failure
''', 'timechart')
  tile('step-durations', 'Step durations (ms)', '''
customMetrics
| where name == "simpleai.webhooks.step.duration"
| extend Step = tostring(customDimensions["step"]), Outcome = tostring(customDimensions["outcome"])
| summarize Runs = sum(valueCount), AvgMs = round(sum(valueSum) / sum(valueCount), 1), MaxMs = max(valueMax) by Step, Outcome
| union (
    requests
    | where name startswith "step-"
    | summarize Runs = count(), AvgMs = round(avg(duration), 1), MaxMs = max(duration), P95Ms = percentile(duration, 95) by Step = substring(name, 5), Outcome = iff(success, "function ok", "function failed"))
| order by Step asc, Outcome asc
''', 'table')
  tile('step-failures', 'Step failures per step', '''
traces
| where message has "failed on try"
| parse message with "Step " Step " of run " RunId " failed on try " Attempt " (last try: " LastTry ")"
| summarize Failures = count(), RunsFailed = countif(LastTry == "True") by Step
| order by Failures desc
''', 'barchart')
  tile('poison', 'Messages moved to poison queues', '''
traces
| where message startswith "Moved a message from" or message has "MaxDequeueCount"
| where message contains "poison"
| project timestamp, message
| order by timestamp desc
''', 'table')
  tile('runs-in-progress', 'Runs in progress (started, not yet ended or failed)', '''
let ended = traces
    | where (message startswith "Step " and message endswith "completed; next (end of run)")
        or (message has "failed on try" and message endswith "(last try: True)")
    | parse message with "Step " Step " of run " RunId " " *
    | distinct RunId;
traces
| where message startswith "Started run "
| parse message with "Started run " RunId " for " EventId "; first step " FirstStep
| where FirstStep != "(none)"
| summarize StartedAt = min(timestamp) by RunId, FirstStep
| join kind=leftanti ended on RunId
| order by StartedAt desc
''', 'table')
]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, namePrefix, 'simpleai-webhooks-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Simple AI webhooks (${namePrefix})'
    category: 'workbook'
    sourceId: applicationInsightsId
    version: 'Notebook/1.0'
    serializedData: string({
      version: 'Notebook/1.0'
      items: workbookItems
      fallbackResourceIds: [
        applicationInsightsId
      ]
      '$schema': 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json'
    })
  }
}

output workbookId string = workbook.id
