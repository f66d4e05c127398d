using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// An action: POST a document derived from the fetched call to the step's endpoint (or what the step's
/// transformation makes of it), with <c>Idempotency-Key: {call_id}:{step}</c> and a Standard Webhooks signature made
/// with the step's own secret (<c>webhook-id</c> is the idempotency key, so a receiver can dedupe either way).
/// <see cref="ActionDeliverer"/> delivers it: 2xx completes the step; 408, 429, 5xx and timeouts are tried again on
/// the action's retry schedule; any other status fails the step for good.
/// </summary>
public abstract class ActionStep(
    string name,
    ActionDeliverer deliverer,
    IOptionsMonitor<ActionEndpointOptions> endpoints,
    CallSnapshotStore snapshots) : IWorkflowStep
{
    public const string HttpClientName = ActionDeliverer.HttpClientName;

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = endpoints.Get(name);
        var url = endpoint.Url ?? throw new PermanentStepFailureException($"Actions:{name}:Url is not set");
        if (!context.Data.TryGetValue(CallFacts.Snapshot, out var snapshot))
        {
            throw new PermanentStepFailureException($"step '{name}' needs '{FetchCallStep.Name}' to run before it");
        }

        var call = await snapshots.LoadAsync(snapshot, cancellationToken);
        var request = OutboundRequest.Post(url, OutboundFormats.Build(endpoint.Format, context, call, endpoint.IncludeTranscript));
        if (endpoint.Transformation is { } transformation)
        {
            if (transformation.Apply(request, cancellationToken) is not { } transformed)
            {
                return StepResult.Skip($"cancelled by transformation {transformation.Name}");
            }

            request = transformed;
        }

        return await deliverer.DeliverAsync(name, endpoint, context, request, cancellationToken);
    }
}
