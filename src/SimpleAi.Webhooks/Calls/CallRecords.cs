using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Storage;
using ClaimDecision = SimpleAi.Webhooks.Storage.ETagDecision<Azure.Data.Tables.TableEntity, bool>;

namespace SimpleAi.Webhooks.Calls;

/// <summary>
/// Table <c>calls</c>, one row per call: <c>call.started</c> records it as in progress (and forwards it when
/// configured); <c>fetch-call</c> updates it with the final status.
/// </summary>
public class CallRecords(TableServiceClient tables, CallIndex index, IHttpClientFactory clients, IOptions<CallStartedOptions> options, TimeProvider time)
{
    /// <summary>The call row's RowKey: the call id, like its PartitionKey (a selective key; see STYLE.md).</summary>
    public static string RowKeyOf(string callId) => callId;

    private const string Forwarded = "Forwarded";

    private const string ForwardClaimedBy = "ForwardClaimedBy";

    private const string ForwardClaimedAt = "ForwardClaimedAt";

    private TableClient Table => tables.GetTableClient(TableNames.Calls);

    /// <summary>
    /// How long a delivery's claim on forwarding a call's <c>call.started</c> keeps other deliveries off it: longer than
    /// a forward can take (twice <see cref="CallStartedOptions.TimeoutSeconds"/>, at least two minutes). Past it, the
    /// claimer is taken to have died before it could record its forward, and the next delivery forwards. A forward that
    /// fails releases its claim at once, so a replay of a message that failed on every try forwards without waiting.
    /// </summary>
    public TimeSpan ForwardLease => TimeSpan.FromSeconds(Math.Max(120, 2 * options.Value.TimeoutSeconds));

    private const int ClaimRounds = 3;

    /// <summary>
    /// Records the call as in progress, unless a row exists already (a late started never undoes a later status), and
    /// forwards it when configured, until one forward succeeded: the row records that, so a duplicate, a redelivery
    /// after a crash and a replay all forward a call that was not forwarded yet, and none forwards it twice. Two
    /// deliveries at the same moment (a duplicate in the same batch) cannot both forward: each first claims the forward
    /// on the row, the inserter with its insert and any other with an ETag-conditional write, and a delivery that finds
    /// another's claim younger than <see cref="ForwardLease"/> leaves it to that one. The claim names the queue message
    /// (<paramref name="claimer"/>), so the claimer's own redelivery after a failed forward takes it over.
    /// </summary>
    public virtual async Task StartedAsync(EventMessage started, string claimer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        // First, so every delivery of it (a redelivery after a crash included) lists the call, live, in the console.
        await index.StartedAsync(started.CallId!, started.ReceivedAt, cancellationToken);
        var now = time.GetUtcNow();
        var inserted = await Table.TryAddAsync(
            new TableEntity(started.CallId, RowKeyOf(started.CallId!))
            {
                ["Status"] = "in_progress",
                ["StartedEventId"] = started.EventId,
                ["StartedAt"] = started.ReceivedAt,
                [ForwardClaimedBy] = claimer,
                [ForwardClaimedAt] = now,
            },
            cancellationToken);
        if (options.Value.Url is not { } url || (!inserted && !await TryClaimForwardAsync(started.CallId!, claimer, now, cancellationToken)))
        {
            return;
        }

        try
        {
            await ForwardAsync(url, started, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await ReleaseClaimAsync(started.CallId!);
            throw;
        }

        await Table.UpsertEntityAsync(new TableEntity(started.CallId, RowKeyOf(started.CallId!)) { [Forwarded] = true }, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Gives the forward up to the next delivery; if this fails too, the claim runs out with its lease.</summary>
    private async Task ReleaseClaimAsync(string callId)
    {
        try
        {
            await Table.UpsertEntityAsync(
                new TableEntity(callId, RowKeyOf(callId)) { [ForwardClaimedBy] = string.Empty }, TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (Azure.RequestFailedException)
        {
            // Storage is failing as well: the lease frees the forward.
        }
    }

    /// <summary>
    /// Claims the forward on an existing row; false when it is forwarded, or another delivery holds a live claim. A row
    /// that changed since it was read (another claim, or a status update) is read and decided on again.
    /// </summary>
    private Task<bool> TryClaimForwardAsync(string callId, string claimer, DateTimeOffset now, CancellationToken cancellationToken) =>
        ETagRetry.UpdateAsync(
            ClaimRounds,
            (_, token) => Table.FindAsync<TableEntity>(callId, RowKeyOf(callId), token),
            row => row is null ? ClaimDecision.Answer(true)
                : IsForwardedOrClaimed(row, claimer, now) ? ClaimDecision.Answer(false)
                : ClaimDecision.Write(new TableEntity(callId, RowKeyOf(callId)) { [ForwardClaimedBy] = claimer, [ForwardClaimedAt] = now }, true),
            (row, claim, token) => ETagRetry.WonAsync(Table.UpdateEntityAsync(claim, row!.ETag, TableUpdateMode.Merge, token)),
            _ => throw new InvalidOperationException($"The row of call {callId} changed under {ClaimRounds} claims of its forward in a row; the host retries."),
            cancellationToken);

    private bool IsForwardedOrClaimed(TableEntity row, string claimer, DateTimeOffset now) =>
        row.GetBoolean(Forwarded) == true
        || (row.GetString(ForwardClaimedBy) is { Length: > 0 } holder && holder != claimer
            && row.GetDateTimeOffset(ForwardClaimedAt) is { } claimedAt && now - claimedAt < ForwardLease);

    public virtual async Task UpdatedAsync(string callId, string? status, DateTimeOffset? endedAt, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(callId, RowKeyOf(callId)) { ["Status"] = status, ["EndedAt"] = endedAt };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    public virtual async Task<string?> StatusAsync(string callId, CancellationToken cancellationToken)
    {
        return (await Table.FindAsync<TableEntity>(callId, RowKeyOf(callId), cancellationToken))?.GetString("Status");
    }

    private async Task ForwardAsync(Uri url, EventMessage started, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "simpleai.call.started",
            call_id = started.CallId,
            event_id = started.EventId,
            received_at = started.ReceivedAt,
        }, OutboundJson.SerializerOptions);
        using var response = await SignedPoster.PostAsync(
            clients.CreateClient(SignedPoster.DeliveriesClientName), url, options.Value.SigningSecret, $"{started.CallId}:call.started", body,
            TimeSpan.FromSeconds(options.Value.TimeoutSeconds), time, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The router's message is retried by the host; the receiver dedupes on the idempotency key.
            throw new HttpRequestException($"the call.started endpoint ({url.Host}) answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }
}
