using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Destinations;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

/// <summary>
/// Delivers one action's body to its endpoint as the best webhook gateways do: in its turn under the destination's
/// rate limit, signed, and on a retryable failure (408, 429, 5xx, a timeout, an unreachable endpoint) deferred on the
/// action's <see cref="RetrySchedule"/> (or the receiver's <c>Retry-After</c>) instead of spending the host's tries.
/// Only a failure after the schedule's last delay, or a refusal (any other status), fails the step for good. The
/// <see cref="DestinationGate"/> holds deliveries to a destination that keeps failing (paused) without spending
/// their schedule, and lets one probe through at a time.
/// </summary>
public sealed partial class ActionDeliverer(
    IHttpClientFactory clients,
    DestinationGate destinations,
    DestinationRateLimiter rates,
    TimeProvider time,
    ILogger<ActionDeliverer> logger)
{
    public const string HttpClientName = SignedPoster.DeliveriesClientName;

    /// <summary>Sends <paramref name="request"/> for the step of <paramref name="context"/>; its data on a 2xx.</summary>
    /// <exception cref="StepDeferredException">Retry later (a failed try), or wait (the rate limit, a paused destination).</exception>
    /// <exception cref="PermanentStepFailureException">Refused, or failed on the schedule's last try.</exception>
    public async Task<StepResult> DeliverAsync(
        string step, ActionEndpointOptions endpoint, StepContext context, OutboundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var schedule = endpoint.Schedule;
        var gate = await destinations.BeforeAsync(step, context.IdempotencyKey, TimeSpan.FromSeconds(endpoint.TimeoutSeconds), cancellationToken);
        if (gate.Action == GateAction.Wait)
        {
            throw StepDeferredException.Wait($"the {step} destination is paused: {gate.Reason}", gate.Wait);
        }

        var probe = gate.Action == GateAction.Probe;
        await rates.WaitTurnAsync(step, endpoint.MaxPerSecond, cancellationToken);
        var outcome = await SendAsync(request, endpoint, context.IdempotencyKey, cancellationToken);
        var reason = outcome.Status is null
            ? $"the {step} endpoint: {outcome.Reason}"
            : $"the {step} endpoint ({request.Url.Host}) answered {outcome.Reason}";
        if (outcome.Result != DeliveryResult.Retryable)
        {
            // A refusal is an answer too: the destination is up, and its probe (if this was it) is over.
            await destinations.SucceededAsync(step, probe, cancellationToken);
            return outcome.Result == DeliveryResult.Delivered
                ? new StepResult(new Dictionary<string, string> { [$"{step}:status"] = outcome.Status!.Value.ToString(CultureInfo.InvariantCulture) })
                : throw new PermanentStepFailureException(reason);
        }

        if (await destinations.FailedAsync(step, outcome.Reason, probe, cancellationToken)
            && await destinations.BeforeAsync(step, context.IdempotencyKey, TimeSpan.FromSeconds(endpoint.TimeoutSeconds), cancellationToken) is { Action: not GateAction.Go } paused)
        {
            // Not held against this delivery: it waits with the others until a probe finds the destination back; when
            // the gate made it the probe (paused meanwhile, the probe due), its wait is none and it comes back to probe.
            throw StepDeferredException.Wait($"{reason}; the destination is paused: {paused.Reason}", paused.Wait, recorded: true);
        }

        if (schedule.DelayAfter(context.Attempt, outcome.RetryAfter) is not { } delay)
        {
            throw new PermanentStepFailureException($"{reason}, on the last of its {schedule.Tries} tries");
        }

        LogRetryLater(step, context.RunId, context.Attempt, outcome.Reason, delay, outcome.RetryAfter is not null);
        throw new StepDeferredException($"{reason}; try {context.Attempt + 1} of {schedule.Tries} in {delay}", delay, schedule.Tries);
    }

    private async Task<DeliveryOutcome> SendAsync(
        OutboundRequest request, ActionEndpointOptions endpoint, string idempotencyKey, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await SignedPoster.SendAsync(
                clients.CreateClient(HttpClientName), request, endpoint.SigningSecret, idempotencyKey,
                TimeSpan.FromSeconds(endpoint.TimeoutSeconds), time, cancellationToken);
            return await DeliveryOutcome.OfAsync(response, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or HttpRequestException)
        {
            // SignedPoster's message names only the host: the URL's path may carry a secret (Slack, Teams).
            return new DeliveryOutcome(DeliveryResult.Retryable, e.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Step {Step} of run {RunId}: try {Attempt} got {Outcome}; next try in {Delay} (Retry-After: {AskedByReceiver})")]
    private partial void LogRetryLater(string step, string runId, int attempt, string outcome, TimeSpan delay, bool askedByReceiver);
}
