using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// An action: POST a document derived from the fetched call to the step's endpoint (or what the step's
/// transformation makes of it), with <c>Idempotency-Key: {call_id}:{step}</c> and a Standard Webhooks signature made
/// with the step's own secret (<c>webhook-id</c> is the idempotency key, so a receiver can dedupe either way).
/// <see cref="ActionDeliverer"/> delivers it: 2xx completes the step; 408, 429, 5xx and timeouts are tried again on
/// the action's retry schedule; any other status fails the step for good.
/// One class serves every action: it is registered once per step name (a keyed service), and the name picks its
/// endpoint, <c>Actions:&lt;name&gt;:…</c>.
/// </summary>
public sealed class ActionStep(
    [ServiceKey] string name,
    ActionDeliverer deliverer,
    IOptionsMonitor<ActionEndpointOptions> endpoints,
    CallSnapshotStore snapshots) : IWorkflowStep
{
    public const string HttpClientName = ActionDeliverer.HttpClientName;

    /// <summary><c>crm-sync</c>: the call's facts to the CRM (or a Zapier/Make/n8n/Logic Apps hook).</summary>
    public const string CrmSync = "crm-sync";

    /// <summary><c>follow-up</c>: ask a follow-up system to call, text or mail the caller back.</summary>
    public const string FollowUp = "follow-up";

    /// <summary><c>ticket</c>: open or update a ticket in the helpdesk.</summary>
    public const string Ticket = "ticket";

    /// <summary><c>notify</c>: tell the team, as a document or as a Slack or Teams incoming-webhook message.</summary>
    public const string Notify = "notify";

    /// <summary>The action steps the app registers.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = [CrmSync, FollowUp, Ticket, Notify];

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = endpoints.Get(name);
        var url = endpoint.Url ?? throw new PermanentStepFailureException($"{ActionEndpointOptions.SettingName(name, nameof(ActionEndpointOptions.Url))} is not set");
        if (!context.Data.TryGetValue(CallSnapshotStore.RunDataKey, out var snapshot))
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
