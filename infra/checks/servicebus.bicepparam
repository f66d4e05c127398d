// A parameter set infra/check.sh builds, lints and expands (bicep snapshot): serviceBus transport, vnetEnabled false.
using '../main.bicep'

param environmentName = 'check'
param location = 'westeurope'
param queueTransport = 'serviceBus'
param vnetEnabled = false
param deployerPrincipalId = '00000000-0000-0000-0000-0000000000aa'
param deployerPrincipalType = 'ServicePrincipal'
param alertEmail = 'operator@example.com'
param preCallSources = [
  { name: 'crm' }
  { name: 'open_tickets', timeoutMilliseconds: 800, send: 'number', parameters: { open_tickets: 'open' } }
]
