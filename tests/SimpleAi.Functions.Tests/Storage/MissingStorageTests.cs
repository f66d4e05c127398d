using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions.Tests.Storage;

/// <summary>
/// The app on a storage account nobody provisioned: it creates nothing, and each missing table, queue or container
/// fails with an error that names it and says how it is provisioned.
/// </summary>
public sealed class MissingStorageTests(MissingStorageTests.EmptyStorage storage) : IClassFixture<MissingStorageTests.EmptyStorage>, IDisposable
{
    private readonly RecordingLoggerProvider _logs = new();

    private readonly ServiceProvider _app = TestApp.Build(TestApp.Settings(storage.ConnectionString), new RecordingLoggerProvider());

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task MissingEventsQueue_IngestAnswers503AndLogsTheQueueAndHowItIsProvisioned()
    {
        using var app = TestApp.Build(TestApp.Settings(storage.ConnectionString), _logs);
        var body = RepoPaths.FixtureBytes("webhook-call-completed.json");
        var headers = TestSigning.Sign(body, DateTimeOffset.UtcNow, "msg_missing_queue", TestSigning.Secret);

        var response = await HttpInvoker.InvokeAsync(
            app.GetRequiredService<HttpFunctions>().WebhookIngest,
            "POST",
            new MemoryStream(body),
            body.Length,
            "application/json",
            [new("webhook-id", headers.Id!), new("webhook-timestamp", headers.Timestamp!), new("webhook-signature", headers.Signature!)]);

        Assert.Equal(503, response.Status);
        Assert.Contains(_logs.Lines, line => line.Contains("queue 'events' does not exist", StringComparison.Ordinal) && line.Contains("Bicep", StringComparison.Ordinal));
        Assert.False(await new QueueServiceClient(storage.ConnectionString).GetQueueClient(QueueNames.Events).ExistsAsync());
    }

    [Fact]
    public async Task MissingCallsTable_RecordingACallFailsNamingTheTable()
    {
        var calls = _app.GetRequiredService<CallRecords>();

        var error = await Assert.ThrowsAsync<StorageResourceMissingException>(
            () => calls.UpdatedAsync(Guid.NewGuid().ToString("D"), "completed", DateTimeOffset.UnixEpoch, CancellationToken.None));

        Assert.Equal(TableNames.Calls, error.Name);
        Assert.Contains("table 'calls' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("local host", error.Message, StringComparison.Ordinal);
        Assert.False(await TableExistsAsync(TableNames.Calls));
    }

    [Fact]
    public async Task MissingContactsTable_UpsertAndLookupFailNamingTheTable()
    {
        var contacts = _app.GetRequiredService<ContactStore>();

        var upsert = await Assert.ThrowsAsync<StorageResourceMissingException>(
            () => contacts.UpsertAsync("+14155550100", new Dictionary<string, string> { ["name"] = "Ada" }, CancellationToken.None));
        var lookup = await Assert.ThrowsAsync<StorageResourceMissingException>(() => contacts.FindAsync("+14155550100", CancellationToken.None));

        Assert.Equal([TableNames.Contacts, TableNames.Contacts], new[] { upsert.Name, lookup.Name });
        Assert.False(await TableExistsAsync(TableNames.Contacts));
    }

    [Fact]
    public async Task MissingSnapshotContainer_SavingACallFailsNamingTheContainer()
    {
        var snapshots = _app.GetRequiredService<CallSnapshotStore>();

        var error = await Assert.ThrowsAsync<StorageResourceMissingException>(
            () => snapshots.SaveAsync(Guid.NewGuid().ToString("D"), "{}"u8.ToArray(), CancellationToken.None));

        Assert.Equal(CallSnapshotStore.Container, error.Name);
        Assert.Contains("blob container 'call-snapshots' does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(await new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(CallSnapshotStore.Container).ExistsAsync());
    }

    [Fact]
    public async Task MissingBodyContainer_LargeEventIsNotQueuedAndTheErrorNamesTheContainer()
    {
        var bodies = _app.GetRequiredService<EventBodyStore>();

        var error = await Assert.ThrowsAsync<QueueUnavailableException>(
            () => bodies.StoreAsync("evt_missing_container", new byte[70_000], CancellationToken.None));

        Assert.Contains("blob container 'event-bodies' does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(await new BlobServiceClient(storage.ConnectionString).GetBlobContainerClient(EventBodyStore.Container).ExistsAsync());
    }

    private async Task<bool> TableExistsAsync(string name)
    {
        await foreach (var table in new TableServiceClient(storage.ConnectionString).QueryAsync(t => t.Name == name))
        {
            return table is not null;
        }

        return false;
    }

    /// <summary>An Azurite of its own that nobody provisioned.</summary>
    public sealed class EmptyStorage : IAsyncLifetime
    {
        private readonly AzuriteFixture _azurite = new() { Provisioned = false };

        public string ConnectionString => _azurite.ConnectionString;

        public Task InitializeAsync() => _azurite.InitializeAsync();

        public Task DisposeAsync() => _azurite.DisposeAsync();
    }
}
