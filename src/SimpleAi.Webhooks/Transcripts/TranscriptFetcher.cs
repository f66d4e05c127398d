using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// A due transcript fetch: marks it begun (so updates from now on schedule the next one), fetches the call, stores
/// only the lines not stored yet, runs the keyword triggers on new caller lines, then records the line count. Only
/// the message of the current fetch runs (its token); it runs again after an API error or a crash at any point
/// (lines are upserts, triggers start once per call), until a newer fetch overtakes it.
/// </summary>
public sealed partial class TranscriptFetcher(
    TranscriptStore store,
    SimpleAiClient api,
    CallSnapshotStore snapshots,
    KeywordTriggers triggers,
    TimeProvider time,
    ILogger<TranscriptFetcher> logger)
{
    /// <summary>Reads and conditional writes of a call's transcript state before giving up (another writer won each).</summary>
    private const int StateRounds = 10;

    public async Task FetchAsync(string messageText, CancellationToken cancellationToken)
    {
        if (TranscriptFetchMessage.Decode(messageText) is not { } message)
        {
            LogUnusable();
            return;
        }

        var callId = message.CallId;
        if (await TryBeginAsync(callId, message.Token, cancellationToken) is not { } stored)
        {
            return;
        }

        var (call, json) = await api.GetCallAsync(Guid.Parse(callId), cancellationToken);
        var lines = call.Transcripts
            .Select((line, index) => new TranscriptLineRecord(index, line.Role, line.Text, line.Timestamp?.Value))
            .Where(line => line.Index >= stored)
            .ToList();
        if (lines.Count == 0)
        {
            return;
        }

        await store.SaveLinesAsync(callId, lines, cancellationToken);
        var callerLines = lines.Where(l => string.Equals(l.Role, "user", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(l.Text)).ToList();
        if (callerLines.Count > 0 && triggers.Any)
        {
            // Before the count: a crash in between brings these lines, and so the triggers, back.
            await triggers.RunAsync(callId, callerLines, () => snapshots.SaveAsync(callId, json, cancellationToken), message.TraceParent, cancellationToken);
        }

        await RecordCountAsync(callId, lines[^1].Index + 1, cancellationToken);
        LogStored(lines.Count, callId);
    }

    /// <summary>
    /// Marks the fetch begun (once: a retry of a begun fetch goes on without writing) and returns how many lines are
    /// stored; null when this message is not the current fetch (a duplicate, or overtaken by a newer one).
    /// </summary>
    private async Task<int?> TryBeginAsync(string callId, string? token, CancellationToken cancellationToken)
    {
        var stored = await ETagRetry.UpdateAsync(
            StateRounds,
            (_, ct) => store.FindStateAsync(callId, ct),
            found => found is not { } current || (token is not null && current.State.Token != token)
                    || (token is null && current.State.ScheduledFor is null)
                ? ETagDecision<TranscriptState, int?>.Answer(null)
                : current.State.ScheduledFor is null
                    ? ETagDecision<TranscriptState, int?>.Answer(current.State.LineCount)
                    : ETagDecision<TranscriptState, int?>.Write(
                        current.State with { ScheduledFor = null, LastFetchStartedAt = time.GetUtcNow() }, current.State.LineCount),
            (found, begun, ct) => store.TrySaveStateAsync(callId, begun, found!.Value.ETag, ct),
            _ => throw new InvalidOperationException($"The transcript state of call {callId} kept changing; the host retries."),
            cancellationToken);
        if (stored is null)
        {
            LogOvertaken(callId);
        }

        return stored;
    }

    /// <summary>Raises the stored line count to <paramref name="count"/>; when the state keeps changing, the next fetch records it.</summary>
    private Task<bool> RecordCountAsync(string callId, int count, CancellationToken cancellationToken) =>
        ETagRetry.UpdateAsync(
            StateRounds,
            (_, ct) => store.FindStateAsync(callId, ct),
            found => found is null || found.Value.State.LineCount >= count
                ? ETagDecision<TranscriptState, bool>.Answer(true)
                : ETagDecision<TranscriptState, bool>.Write(found.Value.State with { LineCount = count }, true),
            (found, counted, ct) => store.TrySaveStateAsync(callId, counted, found!.Value.ETag, ct),
            _ => false,
            cancellationToken);

    [LoggerMessage(1, LogLevel.Warning, "A transcript-fetch message is not usable; dropped")]
    private partial void LogUnusable();

    [LoggerMessage(2, LogLevel.Information, "Stored {Count} new transcript lines of call {CallId}")]
    private partial void LogStored(int count, string callId);

    [LoggerMessage(3, LogLevel.Debug, "Transcript fetch message of {CallId} is not the current fetch; dropped")]
    private partial void LogOvertaken(string callId);
}
