using System.Text.RegularExpressions;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Matches new caller lines against the configured triggers and starts each matched trigger's step at once, in a
/// single-step run <c>{call_id}:trigger:{name}</c> inserted if absent: once per call and trigger. Matching the same
/// lines again (a fetch retried after a crash) re-sends a step that never ran, and starts nothing new.
/// </summary>
public sealed partial class KeywordTriggers(
    IOptions<TranscriptOptions> options,
    RunStore runs,
    StepQueue steps,
    TimeProvider time,
    ILogger<KeywordTriggers> logger)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly List<(KeywordTrigger Trigger, Regex? Pattern)> _triggers = options.Value.Triggers
        .Select(t => (t, t.Pattern is null ? null : new Regex(t.Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout)))
        .ToList();

    public bool Any => _triggers.Count > 0;

    public async Task RunAsync(
        string callId, IReadOnlyList<TranscriptLineRecord> callerLines, Func<Task<string>> saveSnapshot, string? traceParent, CancellationToken cancellationToken)
    {
        string? snapshot = null;
        foreach (var (trigger, pattern) in _triggers)
        {
            var match = callerLines.FirstOrDefault(line => Matches(trigger, pattern, line.Text!));
            if (match is null)
            {
                continue;
            }

            snapshot ??= await saveSnapshot();
            var run = new WorkflowRun
            {
                RunId = $"{callId}:trigger:{trigger.Name}",
                CallId = callId,
                EventId = $"transcript:{match.Index}",
                Status = RunStatus.Running,
                CreatedAt = time.GetUtcNow(),
            };
            run.Data["call_id"] = callId;
            run.Data["trigger"] = trigger.Name;
            run.Data["matched_text"] = match.Text!;
            run.Data[CallSnapshotStore.RunDataKey] = snapshot;
            run.Steps[trigger.Step] = StepState.Queue();
            if (await runs.TryCreateAsync(run, cancellationToken))
            {
                LogTriggered(trigger.Name, callId, trigger.Step);
                await steps.SendAsync(run, trigger.Step, traceParent, null, cancellationToken);
            }
            else if (await runs.FindAsync(run.RunId, cancellationToken) is { } existing
                && existing.Steps.GetValueOrDefault(trigger.Step) is { Status: StepStatus.Queued, Attempts: 0 })
            {
                // Started, but its step never ran: the send may have been lost to a crash (or the SDK re-sent an insert
                // whose answer was lost). Send it again; a second copy of a message that did arrive drops itself.
                LogTriggerResent(trigger.Name, callId, trigger.Step);
                await steps.SendAsync(existing, trigger.Step, traceParent, null, cancellationToken);
            }
        }
    }

    private static bool Matches(KeywordTrigger trigger, Regex? pattern, string text)
    {
        if (trigger.Phrases.Any(phrase => text.Contains(phrase, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        try
        {
            return pattern?.IsMatch(text) == true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Trigger {Trigger} matched on call {CallId}: started step {Step}")]
    private partial void LogTriggered(string trigger, string callId, string step);

    [LoggerMessage(2, LogLevel.Information, "Trigger {Trigger} of call {CallId} had not run step {Step} yet: sent it again")]
    private partial void LogTriggerResent(string trigger, string callId, string step);
}
