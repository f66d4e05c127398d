using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;

namespace SimpleAi.Webhooks.Actions;

/// <summary><c>crm-sync</c>: the call's facts to the CRM (or a Zapier/Make/n8n/Logic Apps hook).</summary>
public sealed class CrmSyncStep(ActionDeliverer deliverer, IOptionsMonitor<ActionEndpointOptions> endpoints, CallSnapshotStore snapshots)
    : ActionStep(Name, deliverer, endpoints, snapshots)
{
    public const string Name = "crm-sync";
}
