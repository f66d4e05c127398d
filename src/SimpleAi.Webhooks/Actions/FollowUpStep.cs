using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;

namespace SimpleAi.Webhooks.Actions;

/// <summary><c>follow-up</c>: ask a follow-up system to call, text or mail the caller back.</summary>
public sealed class FollowUpStep(ActionDeliverer deliverer, IOptionsMonitor<ActionEndpointOptions> endpoints, CallSnapshotStore snapshots)
    : ActionStep(Name, deliverer, endpoints, snapshots)
{
    public const string Name = "follow-up";
}
