using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;

namespace SimpleAi.Webhooks.Actions;

/// <summary><c>follow-up</c>: ask a follow-up system to call, text or mail the caller back.</summary>
public sealed class FollowUpStep(IHttpClientFactory clients, IOptionsMonitor<ActionEndpointOptions> endpoints, CallSnapshotStore snapshots, TimeProvider time)
    : ActionStep(Name, clients, endpoints, snapshots, time)
{
    public const string Name = "follow-up";
}
