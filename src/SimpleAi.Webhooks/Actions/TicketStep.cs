using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;

namespace SimpleAi.Webhooks.Actions;

/// <summary><c>ticket</c>: open or update a ticket in the helpdesk.</summary>
public sealed class TicketStep(IHttpClientFactory clients, IOptionsMonitor<ActionEndpointOptions> endpoints, CallSnapshotStore snapshots, TimeProvider time)
    : ActionStep(Name, clients, endpoints, snapshots, time)
{
    public const string Name = "ticket";
}
