using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using SimpleAi.Webhooks.Ingest;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// Simple AI's pre-call hook: checks the bearer token in constant time, reads
/// <c>{"call":{"from_number","to_number","direction","timestamp"},"agent":{…}}</c>, looks the customer's number (the
/// caller for inbound calls, the callee for outbound) up in the <c>contacts</c> table, optionally asks an enrichment
/// service within a strict budget, and answers <c>{"parameters":{…}}</c> (empty for an unknown caller). A data
/// problem never gives a 500: the answer holds what is known. The whole lookup has a time budget
/// (<see cref="PreCallOptions.LookupBudgetMilliseconds"/>): when storage hangs or retries past it, the answer is
/// <c>{"parameters":{}}</c> in time rather than Simple AI's timeout.
/// </summary>
public sealed partial class PreCallService(
    ContactStore contacts,
    IHttpClientFactory clients,
    IOptions<PreCallOptions> options,
    TimeProvider time,
    ILogger<PreCallService> logger)
{
    public const int MaxBodyBytes = 64 * 1024;
    public const string EnrichmentClient = "pre-call-enrichment";

    private readonly PreCallOptions _options = options.Value;

    public async Task<PreCallResult> HandleAsync(PreCallRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return PreCallResult.Refused(405, "Method Not Allowed", $"{request.Method} is not supported: POST the call.");
        }

        if (!IsAuthorized(request.Authorization))
        {
            return PreCallResult.Refused(401, "Unauthorized", "Send Authorization: Bearer <the configured pre-call token>.");
        }

        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return PreCallResult.Refused(415, "Unsupported Media Type", "Send the body as application/json.");
        }

        var (status, body) = await RequestBody.ReadAsync(request.Body, request.ContentLength, MaxBodyBytes, cancellationToken);
        if (status != RequestBody.Status.Complete)
        {
            return status == RequestBody.Status.TooLarge
                ? PreCallResult.Refused(413, "Content Too Large", $"The body is larger than {MaxBodyBytes} bytes.")
                : PreCallResult.Refused(400, "Bad Request", "The body is shorter than its Content-Length.", "$");
        }

        var (number, error) = Parse(body);
        return error is not null
            ? PreCallResult.Refused(400, "Bad Request", $"{error.Field}: {error.Detail}.", error.Field)
            : PreCallResult.Found(await LookUpWithinBudgetAsync(number, body, cancellationToken));
    }

    /// <summary>
    /// The lookup, or no parameters when its budget runs out first: the answer does not wait for a storage call or an
    /// enrichment that ignores cancellation, and the abandoned work is cancelled.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> LookUpWithinBudgetAsync(string? e164, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            return await LookUpAsync(e164, body, abandon.Token)
                .WaitAsync(TimeSpan.FromMilliseconds(_options.LookupBudgetMilliseconds), time, cancellationToken);
        }
        catch (TimeoutException)
        {
            await abandon.CancelAsync();
            LogOverBudget(_options.LookupBudgetMilliseconds);
            return new Dictionary<string, string>();
        }
    }

    private bool IsAuthorized(string? authorization)
    {
        if (string.IsNullOrEmpty(_options.BearerToken) || authorization is null
            || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(authorization[7..].Trim()), Encoding.UTF8.GetBytes(_options.BearerToken));
    }

    private (string? Number, Events.EnvelopeError? Error) Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, new Events.EnvelopeError("$", "the body must be a JSON object"));
            }

            if (!document.RootElement.TryGetProperty("call", out var call) || call.ValueKind != JsonValueKind.Object)
            {
                return (null, new Events.EnvelopeError("call", "required, an object"));
            }

            var outbound = call.TryGetProperty("direction", out var direction) && direction.ValueKind == JsonValueKind.String
                && string.Equals(direction.GetString(), "outbound", StringComparison.OrdinalIgnoreCase);
            var field = outbound ? "to_number" : "from_number";
            if (!call.TryGetProperty(field, out var number) || number.ValueKind != JsonValueKind.String)
            {
                return (null, new Events.EnvelopeError($"call.{field}", "required, a string"));
            }

            return (PhoneNumbers.ToE164(number.GetString(), _options.DefaultCountryCode) ?? string.Empty, null);
        }
        catch (JsonException e)
        {
            return (null, new Events.EnvelopeError("$", $"malformed JSON: {e.Message.Split(". ")[0]}"));
        }
    }

    private async Task<IReadOnlyDictionary<string, string>> LookUpAsync(string? e164, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(e164))
        {
            LogUnusableNumber();
            return new Dictionary<string, string>();
        }

        var enrichment = _options.EnrichmentUrl is null ? null : EnrichAsync(e164, body, cancellationToken);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, value) in await contacts.FindAsync(e164, cancellationToken) ?? new Dictionary<string, string>())
            {
                parameters[name] = value;
            }
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or HttpRequestException)
        {
            LogLookupFailed(e);
        }

        if (enrichment is not null)
        {
            foreach (var (name, value) in await enrichment)
            {
                parameters.TryAdd(name, value);
            }
        }

        return parameters;
    }

    /// <summary>Asks the enrichment service within the budget; on error or timeout, nothing.</summary>
    private async Task<IReadOnlyDictionary<string, string>> EnrichAsync(string e164, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_options.EnrichmentTimeoutMilliseconds);
        try
        {
            using var request = JsonDocument.Parse(body);
            using var response = await clients.CreateClient(EnrichmentClient).PostAsJsonAsync(
                _options.EnrichmentUrl, new { phone = e164, call = request.RootElement.GetProperty("call") }, budget.Token);
            response.EnsureSuccessStatusCode();
            using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(budget.Token), cancellationToken: budget.Token);
            return answer.RootElement.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                ? parameters.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())
                : new Dictionary<string, string>();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or JsonException)
        {
            LogEnrichmentFailed(_options.EnrichmentUrl!.Host, e.GetType().Name);
            return new Dictionary<string, string>();
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Pre-call lookup: the customer's number is not a usable phone number; answered no parameters")]
    private partial void LogUnusableNumber();

    [LoggerMessage(2, LogLevel.Warning, "Pre-call lookup: the contacts table could not be read; answered what is known")]
    private partial void LogLookupFailed(Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Pre-call enrichment from {Host} failed ({Error}); answered without it")]
    private partial void LogEnrichmentFailed(string host, string error);

    [LoggerMessage(4, LogLevel.Warning, "Pre-call lookup: no answer within the {BudgetMilliseconds} ms budget (contacts read and enrichment); answered no parameters")]
    private partial void LogOverBudget(int budgetMilliseconds);
}
