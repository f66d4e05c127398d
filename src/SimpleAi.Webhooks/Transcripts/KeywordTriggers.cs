using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// Matches new caller lines against the configured triggers and starts each matched trigger's step at once, in a
/// single-step run <c>{call_id}:trigger:{name}</c> inserted if absent: once per call and trigger.
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
                StartedBy = Guid.NewGuid().ToString("N"),
                Status = RunStatus.Running,
                CreatedAt = time.GetUtcNow(),
            };
            run.Data["call_id"] = callId;
            run.Data["trigger"] = trigger.Name;
            run.Data["matched_text"] = match.Text!;
            run.Data[CallFacts.Snapshot] = snapshot;
            run.Steps[trigger.Step] = StepState.Queue();
            if (await runs.TryCreateAsync(run, cancellationToken)
                || await runs.FindAsync(run.RunId, cancellationToken) is { } existing && existing.StartedBy == run.StartedBy)
            {
                // Inserted now, or by this very insert whose answer was lost and which the SDK sent again (409).
                LogTriggered(trigger.Name, callId, trigger.Step);
                await steps.SendAsync(run, trigger.Step, traceParent, null, cancellationToken);
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
}
