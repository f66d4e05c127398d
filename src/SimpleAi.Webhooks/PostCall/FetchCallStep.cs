using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.PostCall;

/// <summary>
/// <c>fetch-call</c>: gets the call from the Simple AI API, keeps it as a snapshot blob, and puts its facts into
/// the run's data for the branching rules. A call the API does not know yet (404) or that has not ended is tried
/// again later with exponential backoff, <c>SimpleAi:FetchTries</c> times, then fails the run with the reason; an
/// answer that is not a call, or a 4xx other than 404/408/429, fails the step at once.
/// </summary>
public sealed class FetchCallStep(
    SimpleAiClient api, CallSnapshotStore snapshots, CallRecords calls, CallIndex index, IOptions<SimpleAiApiOptions> options) : IWorkflowStep
{
    public const string Name = "fetch-call";

    private static readonly HashSet<string> Ongoing = new(StringComparer.OrdinalIgnoreCase)
    {
        "queued", "initiated", "ringing", "in-progress", "in_progress", "ongoing", "active",
    };

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Guid.TryParseExact(context.CallId, "D", out var callId))
        {
            throw new PermanentStepFailureException($"call id '{context.CallId}' is not a UUID");
        }

        SimpleAiCall call;
        byte[] json;
        try
        {
            (call, json) = await api.GetCallAsync(callId, cancellationToken);
        }
        catch (SimpleAiApiException e) when (e.StatusCode == 404)
        {
            throw Later(context, e.Message);
        }
        catch (SimpleAiApiException e) when (e.StatusCode == 200 || e.StatusCode is >= 400 and < 500 and not (408 or 429))
        {
            throw new PermanentStepFailureException(e.Message, e);
        }

        if (call.EndedAt is null && (call.Status is null || Ongoing.Contains(call.Status)))
        {
            throw Later(context, $"call {context.CallId} has not ended (status '{call.Status ?? "unknown"}')");
        }

        await index.ReadAsync(context.CallId, call, cancellationToken);
        await calls.UpdatedAsync(context.CallId, call.Status, call.EndedAt?.Value, cancellationToken);
        var facts = CallFacts.Of(call);
        facts[CallSnapshotStore.RunDataKey] = await snapshots.SaveAsync(context.CallId, json, cancellationToken);
        return new StepResult(facts);
    }

    private StepDeferredException Later(StepContext context, string reason)
    {
        var api = options.Value;
        var delay = TimeSpan.FromSeconds(Math.Min(api.FetchRetryDelaySeconds * Math.Pow(2, context.Attempt - 1), 3600));
        return new StepDeferredException($"{reason} after {context.Attempt} of {api.FetchTries} tries", delay, api.FetchTries);
    }
}
