using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.SimpleAiApi;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions.Tests.Lifecycle;

/// <summary>
/// Writes what the app leaves for a call, through the app's own stores: its index rows (its <c>call.started</c> three
/// minutes after it started, so a call that starts in an hour's last minutes has rows in two hours), its deliveries
/// (started, a transcript update, the completion; some with a duplicate and a second completion under another event id),
/// its run (some with data too large for the row, so in <c>run-data</c>) and some keyword-trigger runs, its transcript,
/// its <c>calls</c> row, its snapshot, some event bodies, and some messages in a poison queue.
/// </summary>
internal sealed class CallSeeder(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, TimeProvider time)
{
    public const string PoisonQueueName = "step-fetch-call-poison";

    public async Task<SeededCall> SeedAsync(int i, DateTimeOffset startedAt, string? from = null, bool live = false, bool poisoned = false)
    {
        var callId = Guid.NewGuid().ToString();
        from ??= "+1555" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture);
        var token = CancellationToken.None;
        var events = new List<string>();
        string NewEvent()
        {
            var id = "evt_" + Guid.NewGuid().ToString("N");
            events.Add(id);
            return id;
        }

        var index = new CallIndex(tables, time);
        var seenAt = startedAt.AddMinutes(3);
        await index.StartedAsync(callId, seenAt, token);
        await index.ReadAsync(callId, new SimpleAiCall
        {
            FromNumber = from,
            ToNumber = "+18005550100",
            Status = live ? "in_progress" : "completed",
            StartedAt = new ApiTimestamp(startedAt.ToString("O", CultureInfo.InvariantCulture), startedAt),
            EndedAt = live ? null : new ApiTimestamp(startedAt.AddMinutes(4).ToString("O", CultureInfo.InvariantCulture), startedAt.AddMinutes(4)),
        }, token);

        var ledger = new DeliveryLedger(tables);
        await ledger.TryRecordAsync(Event(NewEvent(), EventTypes.CallStarted, callId, seenAt), "m-" + Guid.NewGuid(), token);
        await ledger.TryRecordAsync(Event(NewEvent(), EventTypes.TranscriptUpdated, callId, seenAt.AddSeconds(30)), "m-" + Guid.NewGuid(), token);
        await new TranscriptStore(tables).TrySaveStateAsync(callId, new TranscriptState(null, null, 2), default, token);
        await new TranscriptStore(tables).SaveLinesAsync(
            callId, [new TranscriptLineRecord(0, "user", "said by " + callId + " from " + from, seenAt), new TranscriptLineRecord(1, "agent", "said by " + callId, seenAt)], token);
        if (live)
        {
            return new SeededCall(callId, startedAt, from, events);
        }

        var completedAt = startedAt.AddMinutes(5);
        var completed = Event(NewEvent(), EventTypes.CallCompleted, callId, completedAt);
        await ledger.TryRecordAsync(completed, "m-completed", token);
        if (i % 10 == 0)
        {
            await ledger.RecordDuplicateAsync(completed, "m-duplicate", token);
            var second = Event(NewEvent(), EventTypes.CallCompleted, callId, completedAt.AddSeconds(1));
            await ledger.TryRecordAsync(second, "m-second", token);
            await ledger.RecordCompletionReferenceAsync(second, token);
        }

        if (i % 25 == 0)
        {
            await new EventBodyStore(blobs).StoreAsync(completed.EventId, Encoding.UTF8.GetBytes($"{{\"call_id\":\"{callId}\"}}"), token);
        }

        var runs = new RunStore(tables, blobs);
        var run = new WorkflowRun { RunId = callId, CallId = callId, EventId = completed.EventId, Status = poisoned ? RunStatus.Failed : RunStatus.Completed, CreatedAt = completedAt };
        run.Data["call_id"] = callId;
        run.Data["from_number"] = from;
        run.Data["started_at"] = startedAt.ToString("O", CultureInfo.InvariantCulture);
        run.Data["analysis"] = i % 50 == 0 ? new string('x', RunStore.MaxInlineDataChars) + " answer of " + callId : "answer of " + callId;
        await runs.TryCreateAsync(run, token);
        if (i % 20 == 0)
        {
            var trigger = new WorkflowRun { RunId = callId + ":trigger:refund", CallId = callId, EventId = events[1], Status = RunStatus.Completed, CreatedAt = seenAt };
            trigger.Data["from_number"] = from;
            trigger.Data["big"] = i % 40 == 0 ? new string('y', RunStore.MaxInlineDataChars) + callId : callId;
            await runs.TryCreateAsync(trigger, token);
        }

        await tables.GetTableClient(TableNames.Calls).UpsertEntityAsync(
            new TableEntity(callId, CallRecords.RowKeyOf(callId)) { ["Status"] = "completed", ["StartedAt"] = seenAt, ["EndedAt"] = completedAt }, TableUpdateMode.Merge, token);
        await new CallSnapshotStore(blobs).SaveAsync(callId, Encoding.UTF8.GetBytes($"{{\"from_number\":\"{from}\",\"simple_uuid\":\"{callId}\"}}"), token);
        if (poisoned || i % 40 == 0)
        {
            var step = new StepMessage(callId, callId, completed.EventId, "fetch-call", "token-1", Run: new RunSnapshot("etag", "Failed", "{}", $"{{\"from_number\":\"{from}\"}}", completedAt, null));
            var wrapper = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["reason"] = "the step failed on its last try",
                ["queue"] = "step-fetch-call",
                ["message"] = step.Encode().ToString(),
            });
            await queues.GetQueueClient(PoisonQueueName).SendMessageAsync(wrapper, token);
        }

        return new SeededCall(callId, startedAt, from, events);
    }

    private static EventMessage Event(string eventId, string type, string callId, DateTimeOffset at) =>
        new(eventId, type, callId, 1, "msg_" + eventId, at, null, null, ReadOnlyMemory<byte>.Empty);
}
