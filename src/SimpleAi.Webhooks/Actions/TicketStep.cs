using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;

namespace SimpleAi.Webhooks.Actions;

/// <summary><c>ticket</c>: open or update a ticket in the helpdesk.</summary>
public sealed class TicketStep(ActionDeliverer deliverer, IOptionsMonitor<ActionEndpointOptions> endpoints, CallSnapshotStore snapshots)
    : ActionStep(Name, deliverer, endpoints, snapshots)
{
    public const string Name = "ticket";
}
