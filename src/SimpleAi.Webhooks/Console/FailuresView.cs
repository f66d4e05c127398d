using SimpleAi.Webhooks.Queues;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Console;

/// <summary>
/// The Failures view: the runs of the window's calls (the index, then a point read per call, in parallel) that failed,
/// grouped by the step they stopped at and the cause (the error with its numbers and ids taken out), and the depth of
/// every work queue's poison queue (Storage Queues; none on Service Bus). Reads at most <see cref="MaxScanned"/> calls; a longer window says it was cut.
/// </summary>
public sealed partial class FailuresView(CallIndex index, RunStore runs, WorkflowDefinition workflow, QueueServiceClient? queues = null)
{
    public const int MaxScanned = 5000;

    private const int Parallel = 32;

    public async Task<FailuresReport> GetAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var failed = new List<(CallIndexEntry Entry, WorkflowRun Run)>();
        var scanned = 0;
        var truncated = false;
        var chunk = new List<CallIndexEntry>();
        await foreach (var entry in index.NewestFirstAsync(from, to, cancellationToken))
        {
            if (scanned++ >= MaxScanned)
            {
                truncated = true;
                break;
            }

            chunk.Add(entry);
            if (chunk.Count == Parallel * 4)
            {
                failed.AddRange(await FailedAsync(chunk, cancellationToken));
                chunk.Clear();
            }
        }

        failed.AddRange(await FailedAsync(chunk, cancellationToken));
        var groups = failed
            .Select(f =>
            {
                var step = f.Run.Steps.FirstOrDefault(s => s.Value.Status == StepStatus.Failed);
                return (Step: step.Key ?? "(run)", Error: step.Value?.Error, f.Entry);
            })
            .GroupBy(f => (f.Step, Cause: CauseOf(f.Error)))
            .Select(g => new FailureGroup(g.Key.Step, g.Key.Cause, g.Count(), [.. g.Select(f => new FailedCall(f.Entry.CallId, f.Entry.StartedAt, f.Error))]))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Step, StringComparer.Ordinal)
            .ToList();
        return new FailuresReport(from, to, Math.Min(scanned, MaxScanned), truncated, groups, await PoisonAsync(cancellationToken));
    }

    /// <summary>Every work queue and how many messages its poison queue holds.</summary>
    public async Task<IReadOnlyList<PoisonDepth>> PoisonAsync(CancellationToken cancellationToken)
    {
        var work = QueueNames.WorkQueues(workflow.Steps.Select(s => s.Name));
        if (queues is null)
        {
            // Service Bus: the dead-letter queues' depths are the CLI's (and the alerts').
            return [.. work.Select(q => new PoisonDepth(q, q + "/$deadletterqueue", null))];
        }

        return await Task.WhenAll(work.Select(async queue =>
        {
            var poison = QueueNames.PoisonOf(queue);
            try
            {
                var properties = await queues.GetQueueClient(poison).GetPropertiesAsync(cancellationToken);
                return new PoisonDepth(queue, poison, properties.Value.ApproximateMessagesCount);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return new PoisonDepth(queue, poison, 0);
            }
        }));
    }

    /// <summary>An error as a cause: ids, numbers and times taken out, so the same failure of many calls is one group.</summary>
    public static string CauseOf(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return "(no error recorded)";
        }

        var cause = Guids().Replace(error, "…");
        cause = Tries().Replace(cause, "");
        cause = cause.Length > 160 ? cause[..159] + "…" : cause;
        return cause.Trim();
    }

    private async Task<IEnumerable<(CallIndexEntry, WorkflowRun)>> FailedAsync(List<CallIndexEntry> entries, CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(entries.Select(async entry =>
        {
            try
            {
                return (entry, Run: await runs.FindAsync(entry.CallId, cancellationToken));
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return (entry, Run: (WorkflowRun?)null);
            }
        }));
        return found.Where(f => f.Run?.Status == RunStatus.Failed).Select(f => (f.entry, f.Run!));
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guids();

    [GeneratedRegex(@",? on the last of its \d+ tries")]
    private static partial Regex Tries();
}

/// <summary>Failed runs of one step with one cause, newest first (their call ids and when each started).</summary>
public sealed record FailureGroup(string Step, string Cause, int Count, IReadOnlyList<FailedCall> Calls);

/// <summary>One failed run of a <see cref="FailureGroup"/>.</summary>
public sealed record FailedCall(string CallId, DateTimeOffset StartedAt, string? Error);

/// <summary>How many messages wait in one poison queue (null where the transport cannot say: Service Bus).</summary>
public sealed record PoisonDepth(string Queue, string PoisonQueue, int? Messages);

/// <summary>The Failures view: failed runs of the window grouped, and every poison queue's depth.</summary>
public sealed record FailuresReport(DateTimeOffset From, DateTimeOffset To, int Scanned, bool Truncated, IReadOnlyList<FailureGroup> Groups, IReadOnlyList<PoisonDepth> Poison);
