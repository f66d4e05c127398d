using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Operations;
using SimpleAi.Webhooks.PreCall;
using SimpleAi.Webhooks.Routing;
using SimpleAi.Webhooks.Transcripts;

namespace SimpleAi.Functions.Tests.Storage;

/// <summary>
/// CLI <c>status</c> and the transcript read endpoint read by selective keys only: every table request they send is a
/// point read, a query bounded by a PartitionKey and a RowKey range, or (status) the query of a partition that holds
/// only the call's own deliveries. Neither scans a table or another call's partition, so their cost does not grow with
/// the data around the call.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageReadShapeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TranscriptRead_QueriesOneRowKeyRange_NeverTheWholePartition()
    {
        var (tables, _, requests) = await ClientsAsync();
        var callId = Guid.NewGuid().ToString();
        var store = new TranscriptStore(tables);
        await store.TrySaveStateAsync(callId, new TranscriptState(null, null, 3), default, CancellationToken.None);
        await store.SaveLinesAsync(
            callId, [.. Enumerable.Range(0, 3).Select(i => new TranscriptLineRecord(i, "agent", $"line {i}", null))], CancellationToken.None);
        requests.Clear();

        var lines = await store.ReadLinesAsync(callId, 1, CancellationToken.None);
        var none = await store.ReadLinesAsync(callId, 3, CancellationToken.None);
        var unknown = await store.ReadLinesAsync(Guid.NewGuid().ToString(), 0, CancellationToken.None);

        Assert.Equal([1, 2], lines!.Select(l => l.Index));
        Assert.Empty(none!);
        Assert.Null(unknown);
        AssertKeyedReadsOnly(requests);
    }

    [Fact]
    public async Task Status_ByCallIdAndByEventId_ReadsByKeyOnly_NeverScansTheDeliveries()
    {
        var (tables, blobs, requests) = await ClientsAsync();
        var callId = Guid.NewGuid().ToString();
        var eventId = "evt_" + Guid.NewGuid().ToString("N");
        var ledger = new DeliveryLedger(tables);
        var completed = new EventMessage(eventId, EventTypes.CallCompleted, callId, 1, "msg_1", DateTimeOffset.UtcNow, null, null, ReadOnlyMemory<byte>.Empty);
        Assert.True(await ledger.TryRecordAsync(completed, "queue-message-1", CancellationToken.None));
        Assert.False(await ledger.TryRecordAsync(completed, "queue-message-2", CancellationToken.None));
        await ledger.RecordDuplicateAsync(completed, "queue-message-2", CancellationToken.None);
        await new RunStore(tables, blobs).TryCreateAsync(
            new WorkflowRun { RunId = callId, CallId = callId, EventId = eventId, Status = RunStatus.Running, CreatedAt = DateTimeOffset.UtcNow },
            CancellationToken.None);
        requests.Clear();

        var byCall = await CallTimeline.FindAsync(tables, blobs, callId, CancellationToken.None);
        var byEvent = await CallTimeline.FindAsync(tables, blobs, eventId, CancellationToken.None);

        foreach (var timeline in new[] { byCall, byEvent })
        {
            Assert.Equal(callId, timeline!.CallId);
            Assert.Equal(1, timeline.Deliveries.Count(d => !d.Duplicate));
            Assert.Equal(1, timeline.Deliveries.Count(d => d.Duplicate));
            Assert.Equal(eventId, timeline.Run!.EventId);
        }

        AssertKeyedReadsOnly(requests, ownPartitions: [callId, eventId]);
    }

    [Fact]
    public async Task EveryStore_WritesSelectiveRowKeys_NoTwoRowsShareOne()
    {
        var (tables, blobs, _) = await ClientsAsync();
        using var app = TestApp.Build(TestApp.Settings(azurite.ConnectionString));
        var calls = app.GetRequiredService<CallRecords>();
        var written = new List<(string Table, string PartitionKey)>();
        foreach (var i in new[] { 1, 2 })
        {
            var id = Guid.NewGuid().ToString();
            var eventId = "evt_" + Guid.NewGuid().ToString("N");
            var number = "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await new DeliveryLedger(tables).TryRecordAsync(
                new EventMessage(eventId, EventTypes.CallCompleted, id, 1, null, DateTimeOffset.UtcNow, null, null, ReadOnlyMemory<byte>.Empty), "m" + i, CancellationToken.None);
            await new RunStore(tables, blobs).TryCreateAsync(
                new WorkflowRun { RunId = id, CallId = id, EventId = eventId, Status = RunStatus.Running, CreatedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
            await new ContactStore(tables).UpsertAsync(number, new Dictionary<string, string> { ["plan"] = "pro" }, CancellationToken.None);
            await new TranscriptStore(tables).TrySaveStateAsync(id, new TranscriptState(null, null, 0), default, CancellationToken.None);
            await calls.UpdatedAsync(id, "completed", DateTimeOffset.UtcNow, CancellationToken.None);
            written.AddRange([(TableNames.Deliveries, eventId), (TableNames.Runs, id), (TableNames.Contacts, number), (TableNames.Transcripts, id), (TableNames.Calls, id)]);
        }

        var rowKeys = new List<(string Table, string RowKey)>();
        foreach (var (table, partitionKey) in written)
        {
            await foreach (var row in tables.GetTableClient(table).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")))
            {
                rowKeys.Add((table, row.RowKey));
            }
        }

        Assert.Equal(written.Count, rowKeys.Count);
        Assert.All(rowKeys.GroupBy(r => r), g => Assert.True(g.Count() == 1, $"{g.Count()} rows of table {g.Key.Table} share RowKey '{g.Key.RowKey}'"));
    }

    private static void AssertKeyedReadsOnly(ConcurrentQueue<string> requests, IReadOnlyList<string>? ownPartitions = null)
    {
        Assert.NotEmpty(requests);
        Assert.All(requests, request => Assert.True(
            IsPointRead(request) || IsRangeQuery(request) || (ownPartitions ?? []).Any(p => IsPartitionQuery(request, p)),
            $"not a point read, a PartitionKey + RowKey range query nor a query of the call's own partitions: {request}"));
    }

    private static bool IsPartitionQuery(string request, string partitionKey) =>
        Uri.UnescapeDataString(request).Replace('+', ' ').Contains($"$filter=PartitionKey eq '{partitionKey}'", StringComparison.Ordinal)
        && !request.Contains("RowKey", StringComparison.Ordinal);

    private static bool IsPointRead(string request) =>
        request.Contains("(PartitionKey='", StringComparison.Ordinal) && request.Contains("',RowKey='", StringComparison.Ordinal);

    private static bool IsRangeQuery(string request) =>
        request.Contains("PartitionKey eq '", StringComparison.Ordinal)
        && request.Contains("RowKey ge '", StringComparison.Ordinal)
        && request.Contains("RowKey lt '", StringComparison.Ordinal);

    private async Task<(TableServiceClient Tables, BlobServiceClient Blobs, ConcurrentQueue<string> Requests)> ClientsAsync()
    {
        var recorder = new TableRequestRecorder();
        var options = AzureConnections.TableOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var tables = new TableServiceClient(azurite.ConnectionString, options);
        var blobs = new BlobServiceClient(azurite.ConnectionString, AzureConnections.BlobOptions());
        await StorageProvisioning.EnsureAsync(tables, blobs, CancellationToken.None);
        return (tables, blobs, recorder.Requests);
    }

    /// <summary>Keeps each table GET as "path?decoded query", the form the assertions read.</summary>
    private sealed class TableRequestRecorder : HttpPipelineSynchronousPolicy
    {
        public ConcurrentQueue<string> Requests { get; } = new();

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get)
            {
                var uri = message.Request.Uri.ToUri();
                Requests.Enqueue(Uri.UnescapeDataString(uri.AbsolutePath + uri.Query));
            }
        }
    }
}
