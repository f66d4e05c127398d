using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Storage;

namespace SimpleAi.Webhooks.Calls;

/// <summary>
/// Table <c>calls</c>, one row per call: <c>call.started</c> records it as in progress (and forwards it when
/// configured); <c>fetch-call</c> updates it with the final status.
/// </summary>
public class CallRecords(TableServiceClient tables, IHttpClientFactory clients, IOptions<CallStartedOptions> options, TimeProvider time)
{
    /// <summary>The call row's RowKey: the call id, like its PartitionKey (a selective key; see STYLE.md).</summary>
    public static string RowKeyOf(string callId) => callId;

    private const string Forwarded = "Forwarded";

    private TableClient Table => tables.GetTableClient(TableNames.Calls);

    /// <summary>
    /// Records the call as in progress, unless a row exists already (a late started never undoes a later status), and
    /// forwards it when configured, until one forward succeeded: the row records that, so a duplicate, a redelivery
    /// after a crash and a replay all forward a call that was not forwarded yet, and none forwards it twice.
    /// </summary>
    public virtual async Task StartedAsync(EventMessage started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        var inserted = await Table.TryAddAsync(
            new TableEntity(started.CallId, RowKeyOf(started.CallId!))
            {
                ["Status"] = "in_progress",
                ["StartedEventId"] = started.EventId,
                ["StartedAt"] = started.ReceivedAt,
            },
            cancellationToken);
        if (options.Value.Url is not { } url
            || (!inserted && (await Table.FindAsync<TableEntity>(started.CallId!, RowKeyOf(started.CallId!), cancellationToken))?.GetBoolean(Forwarded) == true))
        {
            return;
        }

        await ForwardAsync(url, started, cancellationToken);
        await Table.UpsertEntityAsync(new TableEntity(started.CallId, RowKeyOf(started.CallId!)) { [Forwarded] = true }, TableUpdateMode.Merge, cancellationToken);
    }

    public virtual async Task UpdatedAsync(string callId, string? status, DateTimeOffset? endedAt, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(callId, RowKeyOf(callId)) { ["Status"] = status, ["EndedAt"] = endedAt };
        try
        {
            await Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            await Table.CreateIfNotExistsAsync(cancellationToken);
            await Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
        }
    }

    public virtual async Task<string?> StatusAsync(string callId, CancellationToken cancellationToken)
    {
        try
        {
            return (await Table.FindAsync<TableEntity>(callId, RowKeyOf(callId), cancellationToken))?.GetString("Status");
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task ForwardAsync(Uri url, EventMessage started, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "simpleai.call.started",
            call_id = started.CallId,
            event_id = started.EventId,
            received_at = started.ReceivedAt,
        });
        using var response = await SignedPoster.PostAsync(
            clients.CreateClient(ActionStep.HttpClientName), url, WebhookSecret.Parse(options.Value.Secret), $"{started.CallId}:call.started", body,
            TimeSpan.FromSeconds(options.Value.TimeoutSeconds), time, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The router's message is retried by the host; the receiver dedupes on the idempotency key.
            throw new HttpRequestException($"the call.started endpoint ({url.Host}) answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }
}
