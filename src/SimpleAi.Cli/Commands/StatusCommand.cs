using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Lifecycle;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Workflow;
using Spectre.Console;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// <c>status &lt;call-id | event-id&gt;</c>: the timeline of one call from the tables. Exit 0 when its run completed,
/// 1 when it failed, 3 while in progress (or no run yet), 4 when nothing is known of the id or its call was purged or erased.
/// </summary>
internal static class StatusCommand
{
    public const int InProgress = 3;
    public const int NotFound = 4;

    public static Command Create(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "A call id, or an event id (evt_...)." };
        var json = new Option<bool>("--json") { Description = "Print the timeline as JSON." };
        var settings = CliOptions.Settings();
        var command = new Command("status", """
            Show what happened to one call: deliveries received (with duplicates), its run, and each step with times, outcome and error.
            Exit codes: 0 run completed, 1 run failed, 3 in progress, 4 unknown id, or its call purged by retention or erased.
            Example: simpleai-webhooks status 123e4567-e89b-12d3-a456-426614174000
            """)
        {
            id, json, settings,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var storage = CliSettings.Load(parse.GetValue(settings), console);
            var (timeline, unseen) = await CliStorage.Call(storage, () => FindAsync(storage, parse.GetValue(id)!, cancellationToken));
            var records = new LifecycleRecords(storage.Tables());
            var callId = timeline?.CallId ?? parse.GetValue(id)!;
            // Erased or purged: said as such, and nothing of a deletion that has not finished is shown as if it were the call.
            if (await CliStorage.Call(storage, () => records.GoneAsync(callId, KnownAt(timeline), cancellationToken)) is { } gone)
            {
                console.Error.WriteLine($"call {callId} was {gone}: nothing of it is kept");
                return NotFound;
            }

            var preCall = timeline?.Run is { } found
                ? await CliStorage.Call(storage, () => new PreCallRecordStore(storage.Tables(), NullLogger<PreCallRecordStore>.Instance).FindForCallAsync(found.Data, cancellationToken))
                : null;
            if (timeline is null)
            {
                var watermark = await CliStorage.Call(storage, () => records.WatermarkAsync(cancellationToken));
                console.Error.WriteLine(unseen == 0
                    ? $"error: nothing is known of '{parse.GetValue(id)}' (no delivery, no run, not in the events queue){Purged(watermark)}"
                    : $"error: nothing is known of '{parse.GetValue(id)}' (no delivery, no run); {unseen} event(s) in the events queue could not be read (being routed, waiting for a retry, or past the first {AcceptedDeliveries.PeekLimit}): ask again shortly");
                return NotFound;
            }

            if (parse.GetValue(json))
            {
                console.Out.WriteLine(CliJson.Serialize(ToJson(timeline, preCall)));
            }
            else
            {
                Print(console, timeline);
                PrintPreCall(console, preCall);
            }

            return timeline.Run?.Status switch
            {
                RunStatus.Completed => ExitCodes.Ok,
                RunStatus.Failed => ExitCodes.Failed,
                _ => InProgress,
            };
        });
        return command;
    }

    /// <summary>
    /// The call's timeline from the tables, with the deliveries accepted but not routed yet from the <c>events</c> queue
    /// (Storage Queues or Service Bus; peeked first, so a delivery routed in between is seen in the tables rather than missed).
    /// </summary>
    private static async Task<(CallTimeline? Timeline, int Unseen)> FindAsync(CliSettings storage, string id, CancellationToken cancellationToken)
    {
        var (accepted, unseen) = storage.UsesServiceBus
            ? await AcceptedOnServiceBusAsync(storage, id, cancellationToken)
            : await AcceptedDeliveries.FindAsync(storage.Queues(), id, cancellationToken);
        var recorded = await CallTimeline.FindAsync(storage.Tables(), storage.Blobs(), id, cancellationToken);
        var routedMeanwhile = accepted.Where(a => recorded?.Deliveries.Any(d => !d.Duplicate && d.EventId == a.EventId && d.ReceivedAt == a.ReceivedAt) == true);
        return (CallTimeline.With(recorded, [.. accepted.Except(routedMeanwhile)]), unseen);
    }

    private static async Task<(IReadOnlyList<DeliveryRecord> Deliveries, int Unseen)> AcceptedOnServiceBusAsync(
        CliSettings storage, string id, CancellationToken cancellationToken)
    {
        await using var client = storage.ServiceBus();
        return await AcceptedDeliveries.FindAsync(client, id, cancellationToken);
    }
    /// <summary>The earliest time the timeline knows of the call: when it was first delivered or its run began.</summary>
    private static DateTimeOffset? KnownAt(CallTimeline? timeline) =>
        timeline is null ? null
            : timeline.Deliveries.Select(d => d.ReceivedAt).Append(timeline.Run?.CreatedAt).OfType<DateTimeOffset>().DefaultIfEmpty().Min() is var at && at != default ? at : null;

    /// <summary>What retention says of a call nothing is known of: it may have been purged.</summary>
    private static string Purged(PurgeWatermark? watermark) => watermark is null
        ? string.Empty
        : $"; calls that started before {watermark.PurgedBefore.UtcDateTime:yyyy-MM-dd HH:mm}Z were purged on {(watermark.FinishedOn ?? watermark.StartedOn).UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (Retention__Days {watermark.Days}): an older call was purged on that day or before";

    private static void Print(CliConsole console, CallTimeline timeline)
    {
        console.Out.WriteLine($"call {timeline.CallId ?? "(unknown)"}");
        console.Out.WriteLine($"deliveries ({timeline.Deliveries.Count(d => !d.Duplicate)} received, {timeline.Deliveries.Count(d => d.Duplicate)} duplicates):");
        var table = console.RichOut();
        if (timeline.Deliveries.Count > 0)
        {
            table.Write(Deliveries(timeline.Deliveries));
        }

        if (timeline.Run is not { } run)
        {
            console.Out.WriteLine("run: none yet");
            return;
        }

        console.Out.WriteLine($"run {run.RunId}: {Lower(run.Status)} (started {CliTerminal.Time(run.CreatedAt)} by {run.EventId})");
        if (run.Steps.Count > 0)
        {
            table.Write(Steps(run));
        }
    }

    /// <summary>
    /// What the agent was told before the call (see <see cref="PreCallRecordStore.FindForCallAsync"/>): when, to whom
    /// (masked), the parameters' names (their values are the caller's data), each source's outcome and time, the rules.
    /// </summary>
    private static void PrintPreCall(CliConsole console, PreCallRecord? record)
    {
        // No line without an answer: most calls have none (no pre-call hook set in Simple AI, or not fetched yet).
        if (record is null)
        {
            return;
        }

        console.Out.WriteLine($"pre-call answer {CliTerminal.Time(record.AnsweredAt)} to {PhoneNumbers.Mask(record.Caller)} in {record.Report.Milliseconds:0} ms: "
            + $"{record.Parameters.Count} parameters ({string.Join(", ", record.Parameters.Keys)})");
        console.Out.WriteLine("  sources: " + string.Join("; ", record.Report.Sources.Select(s => $"{s.Source} {s.Outcome} {s.Milliseconds:0} ms")));
        if (record.Report.Rules.Count > 0)
        {
            console.Out.WriteLine("  rules: " + string.Join("; ", record.Report.Rules.Select(r => $"{r.Parameter} {r.Outcome.Replace('_', ' ')}")));
        }

        if (record.Report.Transform != PreCallReport.NoTransform)
        {
            console.Out.WriteLine("  transformation: " + record.Report.Transform);
        }
    }

    private static Grid Deliveries(IEnumerable<DeliveryRecord> deliveries)
    {
        var grid = CliTerminal.Grid(CliTerminal.Column(indent: 2), CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column());
        foreach (var delivery in deliveries)
        {
            grid.Row(
                CliTerminal.Time(delivery.ReceivedAt),
                delivery.EventType,
                delivery.EventId,
                $"attempt {delivery.Attempt?.ToString(CultureInfo.InvariantCulture) ?? "-"}",
                delivery.WebhookId,
                delivery.Duplicate ? "(duplicate)" : delivery.Routed ? string.Empty : "accepted, not routed yet");
        }

        return grid;
    }

    /// <summary>
    /// Each step (by first start) with its tries under it: step, status, tries, its first and last try's start, and the
    /// error (a skipped step's reason, a retrying step's next try); each try with its end and outcome.
    /// </summary>
    private static Grid Steps(WorkflowRun run)
    {
        var grid = CliTerminal.Grid(CliTerminal.Column(indent: 2), CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column(), CliTerminal.Column());
        foreach (var (step, state) in StepDisplay.InOrder(run))
        {
            grid.Row(
                step,
                Shown(state),
                $"tries {state.Attempts}",
                $"first {CliTerminal.Time(StepDisplay.FirstStart(state))}  last {CliTerminal.Time(state.StartedAt)}",
                Note(state));
            foreach (var attempt in state.Tries ?? [])
            {
                grid.Row(
                    $"  try {attempt.Attempt}",
                    string.Empty,
                    string.Empty,
                    CliTerminal.Time(attempt.At),
                    $"{attempt.Outcome}{(attempt.NextAt is { } next ? "  next try " + CliTerminal.Time(next) : string.Empty)}");
            }
        }

        return grid;
    }

    /// <summary>A skipped step's error is why it was skipped (a field its condition reads was absent, a transformation cancelled it), not a failure.</summary>
    private static string Note(StepState state) => state switch
    {
        { Error: null } => string.Empty,
        { Status: StepStatus.Skipped } => "reason: " + state.Error,
        _ when NextTry(state) is { } next => $"next try {CliTerminal.Time(next)}; last error: {state.Error}",
        _ => "error: " + state.Error,
    };

    private static object ToJson(CallTimeline timeline, PreCallRecord? preCall) => new
    {
        timeline.CallId,
        Deliveries = timeline.Deliveries.Select(d => new { d.EventId, d.EventType, d.Attempt, d.WebhookId, d.ReceivedAt, d.Duplicate, d.Routed }),
        Run = timeline.Run is not { } run ? null : new
        {
            run.RunId,
            Status = Lower(run.Status),
            run.CreatedAt,
            run.EventId,
            Steps = run.Steps.Select(s => new
            {
                Step = s.Key,
                Status = Shown(s.Value),
                Tries = s.Value.Attempts,
                s.Value.FirstStartedAt,
                s.Value.StartedAt,
                s.Value.FinishedAt,
                s.Value.Error,
                Attempts = s.Value.Tries?.Select(t => new { t.Attempt, t.At, t.Outcome, t.NextAt }),
            }),
        },
        PreCall = preCall is null ? null : new
        {
            preCall.AnsweredAt,
            Caller = PhoneNumbers.Mask(preCall.Caller),
            preCall.Report.Milliseconds,
            Parameters = preCall.Parameters.Keys,
            Sources = preCall.Report.Sources.Select(s => new { s.Source, s.Outcome, s.Milliseconds, s.Detail }),
            Rules = preCall.Report.Rules.Select(r => new { r.Parameter, r.Outcome, r.Rule, r.Reason }),
            preCall.Report.Transform,
        },
    };

    private static string Lower(Enum status) => StepDisplay.Lower(status);

    private static string Shown(StepState state) => StepDisplay.Status(state);

    private static DateTimeOffset? NextTry(StepState state) => StepDisplay.NextTry(state);
}
