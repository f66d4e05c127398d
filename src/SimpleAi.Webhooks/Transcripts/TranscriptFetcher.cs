using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Storage;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Transcripts;

/// <summary>
/// A due transcript fetch: marks it begun (so updates from now on schedule the next one), fetches the call, stores
/// only the lines not stored yet, runs the keyword triggers on new caller lines, then records the line count. Only
/// the message of the current fetch runs (its token), and of its copies only the one that claimed it (see
/// <see cref="TranscriptFetchDecision"/>): one fetch per window whatever duplicates arrive. That message runs again
/// after an API error or a crash at any point (lines are upserts, triggers start once per call), until a newer
/// fetch overtakes it.
/// </summary>
public sealed partial class TranscriptFetcher(
    TranscriptStore store,
    SimpleAiClient api,
    CallSnapshotStore snapshots,
    KeywordTriggers triggers,
    CallIndex index,
    TimeProvider time,
    IOptions<TranscriptOptions> options,
    IOptions<SimpleAiApiOptions> apiOptions,
    ILogger<TranscriptFetcher> logger)
{
    /// <summary>Reads and conditional writes of a call's transcript state before giving up (another writer won each).</summary>
    private const int StateRounds = 10;

    /// <summary>
    /// How long a copy's claim keeps the other copies of its message from fetching: the longest one API call can take,
    /// and never less than the coalescing window (see <see cref="TranscriptFetchDecision"/>).
    /// </summary>
    private TimeSpan ClaimLease =>
        TimeSpan.FromMilliseconds(Math.Max(options.Value.CoalesceMilliseconds, apiOptions.Value.WholeRequestTimeout().TotalMilliseconds));

    /// <param name="delivery">The queue message carrying it: the copy that claims the fetch is the one that runs it.</param>
    public async Task FetchAsync(string messageText, QueueDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (TranscriptFetchMessage.Decode(messageText) is not { } message)
        {
            LogUnusable();
            return;
        }

        var callId = message.CallId;
        if (await TryBeginAsync(callId, message.Token, delivery.MessageId, cancellationToken) is not { } begun)
        {
            return;
        }

        var (call, json) = await api.GetCallAsync(Guid.Parse(callId), cancellationToken);
        if (!begun.Indexed)
        {
            // Once per call: the live call's numbers and start, for the console and retention.
            await index.ReadAsync(callId, call, cancellationToken);
        }

        var stored = begun.LineCount;
        var lines = call.Transcripts
            .Select((line, index) => new TranscriptLineRecord(index, line.Role, line.Text, line.Timestamp?.Value, line.FunctionName))
            .Where(line => line.Index >= stored)
            .ToList();
        if (lines.Count == 0)
        {
            if (!begun.Indexed)
            {
                await RecordCountAsync(callId, stored, cancellationToken);
            }

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
    /// Claims the fetch for this queue message (see <see cref="TranscriptFetchDecision"/>) and returns the state it
    /// claimed (how many lines are stored, whether the call is indexed); null when this copy does not fetch (overtaken
    /// by a newer fetch, or another copy of its message began it).
    /// </summary>
    private async Task<TranscriptState?> TryBeginAsync(string callId, string? token, string queueMessageId, CancellationToken cancellationToken)
    {
        var (claimed, reason) = await ETagRetry.UpdateAsync(
            StateRounds,
            (_, ct) => store.FindStateAsync(callId, ct),
            found =>
            {
                var decision = TranscriptFetchDecision.Decide(found?.State, token, queueMessageId, time.GetUtcNow(), ClaimLease);
                return decision.Claimed is { } claim
                    ? ETagDecision<TranscriptState, (TranscriptState?, string)>.Write(claim, (claim, decision.Reason))
                    : ETagDecision<TranscriptState, (TranscriptState?, string)>.Answer((null, decision.Reason));
            },
            (found, claimed, ct) => store.TrySaveStateAsync(callId, claimed, found!.Value.ETag, ct),
            _ => throw new InvalidOperationException($"The transcript state of call {callId} kept changing; the host retries."),
            cancellationToken);
        if (claimed is null)
        {
            LogNotFetching(callId, reason);
        }

        return claimed;
    }

    /// <summary>
    /// Raises the stored line count to <paramref name="count"/> and records the call as indexed (this fetch indexed it
    /// before); when the state keeps changing, the next fetch records both.
    /// </summary>
    private Task<bool> RecordCountAsync(string callId, int count, CancellationToken cancellationToken) =>
        ETagRetry.UpdateAsync(
            StateRounds,
            (_, ct) => store.FindStateAsync(callId, ct),
            found => found is null || (found.Value.State.LineCount >= count && found.Value.State.Indexed)
                ? ETagDecision<TranscriptState, bool>.Answer(true)
                : ETagDecision<TranscriptState, bool>.Write(found.Value.State with { LineCount = Math.Max(count, found.Value.State.LineCount), Indexed = true }, true),
            (found, counted, ct) => store.TrySaveStateAsync(callId, counted, found!.Value.ETag, ct),
            _ => false,
            cancellationToken);

    [LoggerMessage(1, LogLevel.Warning, "A transcript-fetch message is not usable; dropped")]
    private partial void LogUnusable();

    [LoggerMessage(2, LogLevel.Information, "Stored {Count} new transcript lines of call {CallId}")]
    private partial void LogStored(int count, string callId);

    [LoggerMessage(3, LogLevel.Debug, "Transcript fetch message of {CallId} dropped: {Reason}")]
    private partial void LogNotFetching(string callId, string reason);
}
