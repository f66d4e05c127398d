// A parameter set infra/check.sh builds, lints and expands (bicep snapshot): storageQueues transport, the console on.
using '../main.bicep'

param environmentName = 'check'
param location = 'westeurope'
param queueTransport = 'storageQueues'
param vnetEnabled = false
param deployerPrincipalId = '00000000-0000-0000-0000-0000000000aa'
param deployerPrincipalType = 'ServicePrincipal'
param alertEmail = 'operator@example.com'
param consoleAllowedRoles = 'Console.Operator'
param consoleEntraClientId = '11111111-2222-3333-4444-555555555555'
