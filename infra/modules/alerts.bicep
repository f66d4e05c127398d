// Alerts and a workbook on what the app really sends to Application Insights. Counts come from the app's own metrics
// (meter SimpleAi.Webhooks -> table customMetrics), which the exporter never samples; log lines are sampled with their
// traces, and in OpenTelemetry mode the host names its requests by route, so neither is counted here. Every query's
// table, metric name and customDimensions are held by TelemetryCaptureTests against envelopes the real exporter sent.
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

@description('Average time to answer a delivery over 15 minutes, in milliseconds, above which the latency alert fires.')
@minValue(1)
param ingestAverageThresholdMs int = 500

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
    description: 'A message went to a <queue>-poison queue: the app could not use it or a step failed for good (origin app), or the host gave up on it after its last try and the PoisonSweep took it in (origin host). Inspect the poison queue and replay (see infra/README.md).'
    severity: 2
    windowSize: 'PT15M'
    query: '''
customMetrics
| where name == "simpleai.webhooks.poison.moves"
| extend Queue = tostring(customDimensions["queue"]), Origin = tostring(customDimensions["origin"])
| summarize Moved = sum(valueSum) by Queue, Origin
'''
    timeAggregation: 'Total'
    metricMeasureColumn: 'Moved'
    threshold: 0
    dimensions: [
      {
        name: 'Queue'
        operator: 'Include'
        values: [
          '*'
        ]
      }
    ]
  }
  {
    name: 'workflow-run-failed'
    displayName: 'SimpleAi: a workflow run failed'
    description: 'A run was marked failed in table runs, at the step named, with the error: the step failed on its last try or for good (cause step_failed), or its message was poisoned (poisoned).'
    severity: 2
    windowSize: 'PT15M'
    query: '''
customMetrics
| where name == "simpleai.webhooks.runs.failed"
| extend Step = tostring(customDimensions["step"]), Cause = tostring(customDimensions["cause"])
| summarize Failed = sum(valueSum) by Step, Cause
'''
    timeAggregation: 'Total'
    metricMeasureColumn: 'Failed'
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
    name: 'destination-paused'
    displayName: 'SimpleAi: an outbound destination paused'
    description: 'A destination (an action step) failed Destinations__PauseAfterFailures times in a row and paused (by failures), or an operator paused it (by operator): its deliveries wait, one probe at a time checks for recovery, and a 2xx resumes it. See simpleai-webhooks destinations and README "Paused destinations".'
    severity: 2
    windowSize: 'PT15M'
    query: '''
customMetrics
| where name == "simpleai.webhooks.destination.state_changes"
| extend Destination = tostring(customDimensions["destination"]), State = tostring(customDimensions["state"]), By = tostring(customDimensions["by"])
| where State == "paused"
| summarize Paused = sum(valueSum) by Destination, By
'''
    timeAggregation: 'Total'
    metricMeasureColumn: 'Paused'
    threshold: 0
    dimensions: [
      {
        name: 'Destination'
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
    description: 'The webhook endpoint answered 5xx (503: the queue did not accept the event; 500: an unexpected error). Simple AI retries; check the storage account or Service Bus namespace.'
    severity: 1
    windowSize: 'PT5M'
    query: '''
customMetrics
| where name == "simpleai.webhooks.ingest.responses"
| extend StatusCode = toint(customDimensions["status_code"])
| where StatusCode >= 500
| summarize Answers = sum(valueSum) by StatusCode
'''
    timeAggregation: 'Total'
    metricMeasureColumn: 'Answers'
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
customMetrics
| where name == "simpleai.webhooks.signature_failures"
| summarize Failures = sum(valueSum)
'''
    timeAggregation: 'Total'
    metricMeasureColumn: 'Failures'
    threshold: signatureFailureThreshold
    dimensions: []
  }
  {
    name: 'ingest-latency'
    displayName: 'SimpleAi: WebhookIngest answers slowly'
    description: 'The average time the webhook endpoint took to answer is above the threshold: slow queue sends, cold starts, or large bodies going to Blob Storage.'
    severity: 3
    windowSize: 'PT15M'
    query: '''
customMetrics
| where name == "simpleai.webhooks.ingest.duration"
| summarize AverageMs = sum(valueSum) / sum(valueCount)
'''
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'AverageMs'
    threshold: ingestAverageThresholdMs
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
      json: '## Simple AI webhooks\nIngest, duplicates, signature failures, workflow steps, runs, poison queues and paused destinations. Counts come from the meter `SimpleAi.Webhooks` (table customMetrics, never sampled); the runs list comes from log lines, which are sampled with their traces.'
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
  tile('ingest-rate', 'Ingest answers by status code', '''
customMetrics
| where name == "simpleai.webhooks.ingest.responses"
| extend StatusCode = tostring(customDimensions["status_code"])
| summarize Answers = sum(valueSum) by bin(timestamp, 5m), StatusCode
''', 'timechart')
  tile('ingest-duration', 'Time to answer a delivery (ms)', '''
customMetrics
| where name == "simpleai.webhooks.ingest.duration"
| summarize AverageMs = round(sum(valueSum) / sum(valueCount), 1), MaxMs = max(valueMax) by bin(timestamp, 5m)
''', 'timechart')
  tile('accepted-by-type', 'Accepted deliveries by event type', '''
customMetrics
| where name == "simpleai.webhooks.events_received"
| extend EventType = tostring(customDimensions["event_type"])
| summarize Accepted = sum(valueSum) by bin(timestamp, 5m), EventType
''', 'timechart')
  tile('duplicates', 'Duplicate deliveries (no effect)', '''
customMetrics
| where name == "simpleai.webhooks.duplicate_deliveries"
| extend EventType = tostring(customDimensions["event_type"])
| summarize Duplicates = sum(valueSum) by bin(timestamp, 5m), EventType
''', 'timechart')
  tile('signature-failures', 'Signature failures by reason', '''
customMetrics
| where name == "simpleai.webhooks.signature_failures"
| extend Reason = tostring(customDimensions["reason"])
| summarize Failures = sum(valueSum) by bin(timestamp, 5m), Reason
''', 'timechart')
  tile('step-durations', 'Step tries and durations (ms)', '''
customMetrics
| where name == "simpleai.webhooks.step.duration"
| extend Step = tostring(customDimensions["step"]), Outcome = tostring(customDimensions["outcome"])
| summarize Tries = sum(valueCount), AverageMs = round(sum(valueSum) / sum(valueCount), 1), MaxMs = max(valueMax) by Step, Outcome
| order by Step asc, Outcome asc
''', 'table')
  tile('step-failures', 'Failed step tries and failed runs per step', '''
customMetrics
| where name == "simpleai.webhooks.step.duration"
| extend Step = tostring(customDimensions["step"]), Outcome = tostring(customDimensions["outcome"])
| where Outcome == "failed"
| summarize FailedTries = sum(valueCount) by Step
| join kind=fullouter (
    customMetrics
    | where name == "simpleai.webhooks.runs.failed"
    | extend Step = tostring(customDimensions["step"])
    | summarize RunsFailed = sum(valueSum) by Step) on Step
| project Step = coalesce(Step, Step1), FailedTries = coalesce(FailedTries, 0.0), RunsFailed = coalesce(RunsFailed, 0.0)
| order by FailedTries desc
''', 'barchart')
  tile('skipped-for-field', 'Steps skipped because a field their rule reads was absent (or not a number)', '''
customMetrics
| where name == "simpleai.webhooks.step.skipped_for_field"
| extend Step = tostring(customDimensions["step"]), Field = tostring(customDimensions["field"]), Cause = tostring(customDimensions["cause"])
| summarize Skipped = sum(valueSum) by Step, Field, Cause
| order by Skipped desc
''', 'table')
  tile('precall-sources', 'Pre-call sources: answered and left out (timeout, over_budget, http_error, invalid_json...), with their time', '''
let counts = customMetrics
| where name == "simpleai.webhooks.precall.sources"
| extend Source = tostring(customDimensions["source"]), Outcome = tostring(customDimensions["outcome"])
| summarize Asked = sum(valueSum) by Source, Outcome;
customMetrics
| where name == "simpleai.webhooks.precall.source.duration"
| extend Source = tostring(customDimensions["source"]), Outcome = tostring(customDimensions["outcome"])
| summarize AverageMs = round(sum(valueSum) / sum(valueCount), 1), MaxMs = max(valueMax) by Source, Outcome
| join kind=fullouter counts on Source, Outcome
| project Source = coalesce(Source, Source1), Outcome = coalesce(Outcome, Outcome1), Asked, AverageMs, MaxMs
| order by Source asc, Asked desc
''', 'table')
  tile('poison', 'Messages moved to poison queues', '''
customMetrics
| where name == "simpleai.webhooks.poison.moves"
| extend Queue = tostring(customDimensions["queue"]), Origin = tostring(customDimensions["origin"])
| summarize Moved = sum(valueSum) by bin(timestamp, 5m), Queue, Origin
''', 'timechart')
  tile('destinations', 'Destinations paused and resumed', '''
customMetrics
| where name == "simpleai.webhooks.destination.state_changes"
| extend Destination = tostring(customDimensions["destination"]), State = tostring(customDimensions["state"]), By = tostring(customDimensions["by"])
| summarize Changes = sum(valueSum) by bin(timestamp, 5m), Destination, State, By
''', 'table')
  tile('runs-in-progress', 'Runs started and not seen ending (log lines are sampled: confirm with simpleai-webhooks status)', '''
let ended = union
    (traces
        | where message startswith "Step " and message endswith "completed; next (end of run)"
        | project RunId = tostring(customDimensions["RunId"])),
    (exceptions
        | where customDimensions["LastTry"] == "True"
        | project RunId = tostring(customDimensions["RunId"])),
    (traces
        | where customDimensions["CategoryName"] == "SimpleAi.Webhooks.Operations.PoisonBookkeeping"
        | project RunId = tostring(customDimensions["RunId"]))
    | distinct RunId;
traces
| where message startswith "Started run "
| extend RunId = tostring(customDimensions["RunId"]), FirstStep = tostring(customDimensions["Step"])
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
