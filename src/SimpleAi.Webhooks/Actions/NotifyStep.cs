using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;

namespace SimpleAi.Webhooks.Actions;

/// <summary><c>notify</c>: tell the team, as a document or as a Slack or Teams incoming-webhook message.</summary>
public sealed class NotifyStep(ActionDeliverer deliverer, IOptionsMonitor<ActionEndpointOptions> endpoints, CallSnapshotStore snapshots)
    : ActionStep(Name, deliverer, endpoints, snapshots)
{
    public const string Name = "notify";
}
