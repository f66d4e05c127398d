using System.Diagnostics;
using System.Net.Http.Headers;
using SimpleAi.Webhooks.Events;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Telemetry;

namespace SimpleAi.Webhooks.Ingest;

/// <summary>
/// Receives one Simple AI delivery: checks method, media type and size, reads the raw body once, verifies the
/// signature, reads the envelope, and queues the raw bytes. It answers 202 only after the queue accepted the
/// message, and 503 when it did not, so Simple AI retries and nothing is lost. Refused input leaves no trace.
/// </summary>
public sealed partial class WebhookIngestService(
    IWebhookVerifier verifier,
    IQueueSender queue,
    EventBodyStore largeBodies,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<WebhookIngestService> logger)
{
    private const int StatusInternalServerError = 500;

    private readonly IngestOptions _options = options.Value;

    public async Task<IngestResult> IngestAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = WebhookTelemetry.StartFrom("webhook ingest", ActivityKind.Internal, request.TraceParent, request.TraceState);
        var started = time.GetTimestamp();
        IngestResult result;
        try
        {
            result = await HandleAsync(request, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The host answers an unhandled exception with 500: counted, so the 5xx alert sees it.
            WebhookTelemetry.Answered(StatusInternalServerError, time.GetElapsedTime(started));
            throw;
        }

        WebhookTelemetry.Answered(result.StatusCode, time.GetElapsedTime(started));
        activity?.SetTag("http.response.status_code", result.StatusCode);
        activity?.SetTag("event_id", result.EventId);
        if (!result.IsAccepted)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Problem?.Title);
        }

        return result;
    }

    private async Task<IngestResult> HandleAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return IngestResult.MethodNotAllowed(request.Method);
        }

        if (CheckContentType(request.ContentType) is { } mediaTypeProblem)
        {
            return IngestResult.UnsupportedMediaType(mediaTypeProblem);
        }

        var (status, body) = await RequestBody.ReadAsync(
            request.Body, request.ContentLength, _options.MaxBodyBytes, cancellationToken);
        if (status == RequestBody.Status.TooLarge)
        {
            return IngestResult.TooLarge(_options.MaxBodyBytes);
        }

        if (status == RequestBody.Status.Truncated)
        {
            return IngestResult.BadRequest("$", "The body is shorter than its Content-Length.");
        }

        var verification = verifier.Verify(body.Span, request.Header);
        if (!verification.IsValid)
        {
            LogSignatureRejected(verification.Failure, verification.Reason);
            WebhookTelemetry.SignatureFailures.Add(1, new KeyValuePair<string, object?>("reason", verification.Failure.ToString()));
            return IngestResult.Unauthorized(verification);
        }

        if (!EnvelopeParser.TryParse(body.Span, out var envelope, out var error))
        {
            LogEnvelopeRejected(error.Field, error.Detail);
            return IngestResult.BadRequest(error.Field, $"{error.Field}: {error.Detail}.");
        }

        try
        {
            await EnqueueAsync(request, envelope, body, cancellationToken);
        }
        catch (QueueUnavailableException e)
        {
            LogQueueUnavailable(e, envelope.EventId, envelope.EventType);
            return IngestResult.QueueUnavailable(TimeSpan.FromSeconds(_options.RetryAfterSeconds));
        }

        LogAccepted(envelope.EventId, envelope.EventType, envelope.CallId, envelope.Attempt);
        WebhookTelemetry.EventsReceived.Add(1, new KeyValuePair<string, object?>("event_type", envelope.EventType));
        return IngestResult.Accepted(envelope.EventId);
    }

    /// <summary>Queues the raw body with its envelope and trace context; a body too large to ride inline goes to a blob first.</summary>
    private async Task EnqueueAsync(
        IngestRequest request, WebhookEnvelope envelope, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var bodyBlob = body.Length > _options.MaxInlineBodyBytes
            ? await largeBodies.StoreAsync(envelope.EventId, body, cancellationToken)
            : null;
        Activity.Current?.SetTag("event_id", envelope.EventId).SetTag("event_type", envelope.EventType).SetTag("call_id", envelope.CallId);
        var (traceParent, traceState) = WebhookTelemetry.ContextToSend(request.TraceParent, request.TraceState);
        var message = EventMessage.From(
            envelope,
            WebhookHeaders.Read(request.Header).Id,
            time.GetUtcNow(),
            traceParent,
            traceState,
            bodyBlob is null ? body : default,
            bodyBlob);
        await queue.SendAsync(EventMessageCodec.ToOutboundMessage(message), cancellationToken);
    }

    private static string? CheckContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return "Send the body as application/json.";
        }

        var mediaType = parsed.MediaType ?? string.Empty;
        var isJson = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson)
        {
            return $"{mediaType} is not supported: send the body as application/json.";
        }

        var charset = parsed.CharSet?.Trim('"');
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"charset {charset} is not supported: send UTF-8.";
    }

    [LoggerMessage(1, LogLevel.Information, "Accepted {EventType} {EventId} for call {CallId} (attempt {Attempt})")]
    private partial void LogAccepted(string eventId, string eventType, string? callId, int? attempt);

    [LoggerMessage(2, LogLevel.Warning, "Refused a delivery: signature {Failure}: {Reason}")]
    private partial void LogSignatureRejected(SignatureFailure failure, string? reason);

    [LoggerMessage(3, LogLevel.Warning, "Refused a signed delivery: envelope field {Field}: {Detail}")]
    private partial void LogEnvelopeRejected(string field, string detail);

    [LoggerMessage(4, LogLevel.Error, "Could not queue {EventType} {EventId}: answered 503 so the sender retries")]
    private partial void LogQueueUnavailable(Exception exception, string eventId, string eventType);
}
