using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;

namespace SimpleAi.Webhooks.Actions;

/// <summary><c>notify</c>: tell the team, as a document or as a Slack or Teams incoming-webhook message.</summary>
public sealed class NotifyStep(IHttpClientFactory clients, IOptionsMonitor<ActionEndpointOptions> endpoints, CallSnapshotStore snapshots, TimeProvider time)
    : ActionStep(Name, clients, endpoints, snapshots, time)
{
    public const string Name = "notify";
}
