using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// A due transcript fetch: marks it begun (so updates from now on schedule the next one), fetches the call, stores
/// only the lines not stored yet, and runs the keyword triggers on new caller lines.
/// </summary>
public sealed partial class TranscriptFetcher(
    TranscriptStore store,
    SimpleAiClient api,
    CallSnapshotStore snapshots,
    KeywordTriggers triggers,
    TimeProvider time,
    ILogger<TranscriptFetcher> logger)
{
    public async Task FetchAsync(string messageText, CancellationToken cancellationToken)
    {
        if (TranscriptFetchMessage.Decode(messageText) is not { } message)
        {
            LogUnusable();
            return;
        }

        var callId = message.CallId;
        if (!await TryBeginAsync(callId, cancellationToken))
        {
            return;
        }

        var (call, json) = await api.GetCallAsync(Guid.Parse(callId), cancellationToken);
        var stored = (await store.FindStateAsync(callId, cancellationToken))?.State.LineCount ?? 0;
        var lines = call.Transcripts
            .Select((line, index) => new TranscriptLineRecord(index, line.Role, line.Text, line.Timestamp))
            .Where(line => line.Index >= stored)
            .ToList();
        if (lines.Count == 0)
        {
            return;
        }

        await store.SaveLinesAsync(callId, lines, cancellationToken);
        await RecordCountAsync(callId, lines[^1].Index + 1, cancellationToken);
        LogStored(lines.Count, callId);
        var callerLines = lines.Where(l => string.Equals(l.Role, "user", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(l.Text)).ToList();
        if (callerLines.Count > 0 && triggers.Any)
        {
            await triggers.RunAsync(callId, callerLines, () => snapshots.SaveAsync(callId, json, cancellationToken), message.TraceParent, cancellationToken);
        }
    }

    /// <summary>Clears the schedule and records the start; false when no fetch is due (a duplicate message).</summary>
    private async Task<bool> TryBeginAsync(string callId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var found = await store.FindStateAsync(callId, cancellationToken);
            if (found is not { State.ScheduledFor: not null } due)
            {
                return false;
            }

            var begun = due.State with { ScheduledFor = null, LastFetchStartedAt = time.GetUtcNow() };
            if (await store.TrySaveStateAsync(callId, begun, due.ETag, cancellationToken))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"The transcript state of call {callId} kept changing; the host retries.");
    }

    private async Task RecordCountAsync(string callId, int count, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var found = await store.FindStateAsync(callId, cancellationToken);
            if (found is null || found.Value.State.LineCount >= count
                || await store.TrySaveStateAsync(callId, found.Value.State with { LineCount = count }, found.Value.ETag, cancellationToken))
            {
                return;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "A transcript-fetch message is not usable; dropped")]
    private partial void LogUnusable();

    [LoggerMessage(2, LogLevel.Information, "Stored {Count} new transcript lines of call {CallId}")]
    private partial void LogStored(int count, string callId);
}
