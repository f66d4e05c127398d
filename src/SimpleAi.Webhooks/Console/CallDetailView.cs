using SimpleAi.Webhooks.Queues;
using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.Transcripts;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// The Call view from the tables: <see cref="CallTimeline"/> (deliveries and run, by key), the index's row (a point read
/// in the hour the list gave, or around the run's start), the stored transcript lines, and the runs of the keyword
/// triggers (a point read each).
/// </summary>
public sealed class CallDetailView(
    CallIndex index,
    RunStore runs,
    TranscriptStore transcripts,
    PreCall.PreCallRecordStore preCalls,
    TableServiceClient tables,
    BlobServiceClient blobs,
    IConfiguration configuration,
    IOptions<WorkflowOptions> workflow,
    IOptions<TranscriptOptions> transcriptOptions,
    IOptions<ConsoleOptions> options)
{
    /// <summary>The call's view; null when nothing is known of it.</summary>
    /// <param name="at">When the call started, as the list showed it: where its index row is.</param>
    public async Task<CallDetail?> GetAsync(string callId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        var timelineTask = CallTimeline.FindAsync(tables, blobs, callId, cancellationToken);
        var linesTask = ReadLinesAsync(callId, cancellationToken);
        var triggersTask = TriggersAsync(callId, cancellationToken);
        var timeline = await timelineTask;
        var lines = await linesTask;
        var entry = await CallsView.EntryOfAsync(index, timeline, callId, at, cancellationToken);
        if (entry is null && lines is null && timeline is null)
        {
            return null;
        }

        var run = timeline?.Run;
        // The run's data has the call's numbers and start once fetch-call has run: they find its pre-call answer.
        var preCall = run is null ? null : await preCalls.FindForCallAsync(run.Data, cancellationToken);
        return new CallDetail(
            entry is null ? null : CallsView.RowOf(entry, run),
            callId,
            lines,
            timeline?.Deliveries ?? [],
            await triggersTask,
            run is null ? null : TimelineOf(run),
            TelemetryLink(callId),
            preCall is null ? null : PreCallSummary.Of(preCall));
    }

    /// <summary>The transcript lines from <paramref name="since"/> on (null when nothing is known of the transcript).</summary>
    public async Task<IReadOnlyList<TranscriptLineRecord>?> ReadLinesAsync(string callId, int since, CancellationToken cancellationToken)
    {
        try
        {
            return await transcripts.ReadLinesAsync(callId, since, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private Task<IReadOnlyList<TranscriptLineRecord>?> ReadLinesAsync(string callId, CancellationToken cancellationToken) =>
        ReadLinesAsync(callId, 0, cancellationToken);

    private async Task<IReadOnlyList<TriggerFired>> TriggersAsync(string callId, CancellationToken cancellationToken)
    {
        var fired = await Task.WhenAll(transcriptOptions.Value.Triggers.Select(async trigger =>
        {
            try
            {
                return await runs.FindAsync($"{callId}:trigger:{trigger.Name}", cancellationToken) is { } run
                    ? new TriggerFired(trigger.Name, trigger.Step, StepDisplay.RunStatus(run), run.CreatedAt)
                    : null;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        }));
        return [.. fired.OfType<TriggerFired>()];
    }

    private RunTimeline TimelineOf(WorkflowRun run)
    {
        var rules = workflow.Value.Steps.GroupBy(s => s.Step, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().When, StringComparer.Ordinal);
        var steps = StepDisplay.InOrder(run).Select(pair =>
        {
            var (step, state) = (pair.Key, pair.Value);
            var rule = rules.TryGetValue(step, out var when) && when.Count > 0 ? string.Join(" and ", when.Select(c => c.ToString())) : "always";
            return new StepTimeline(
                step,
                StepDisplay.Status(state),
                rule,
                state.Attempts,
                StepDisplay.FirstStart(state),
                state.StartedAt,
                state.FinishedAt,
                StepDisplay.NextTry(state),
                state.Status == StepStatus.Skipped ? null : state.Error,
                state.Status == StepStatus.Skipped ? state.Error ?? "its rule did not hold" : null,
                DestinationHost(step),
                QueueNames.PoisonOf(QueueNames.Step(step)),
                [.. (state.Tries ?? []).Select(t => new TryTimeline(t.Attempt, t.At, t.Outcome, t.NextAt))]);
        });
        return new RunTimeline(run.RunId, StepDisplay.RunStatus(run), run.CreatedAt, run.EventId, [.. steps]);
    }

    /// <summary>The host (and port) an action step posts to; never its path, query or user info, which may hold secrets.</summary>
    private string? DestinationHost(string step) =>
        Uri.TryCreate(configuration[$"{ActionEndpointOptions.SectionOf(step)}:Url"], UriKind.Absolute, out var url) ? url.Authority : null;

    /// <summary>
    /// Application Insights' logs for the call's requests and dependencies (the spans carry <c>call_id</c>), from which
    /// each operation's end-to-end transaction opens; null without <see cref="ConsoleOptions.ApplicationInsightsResourceId"/>.
    /// </summary>
    private string? TelemetryLink(string callId)
    {
        if (options.Value.ApplicationInsightsResourceId is not { Length: > 0 } resource)
        {
            return null;
        }

        var query = $"union requests, dependencies | where tostring(customDimensions.call_id) == \"{callId}\" | project timestamp, operation_Id, name, success, duration | order by timestamp asc";
        return "https://portal.azure.com/#blade/Microsoft_Azure_Monitoring_Logs/LogsBlade/resourceId/" + Uri.EscapeDataString(resource)
            + "/source/LogsBlade.AnalyticsShareLinkToQuery/query/" + Uri.EscapeDataString(query) + "/timespan/P7D";
    }
}
