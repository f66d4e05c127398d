using System.Security.Cryptography;
using System.Text;
using SimpleAi.Webhooks.Calls;
using SimpleAi.Webhooks.Ingest;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// Simple AI's pre-call hook: checks the bearer token in constant time, reads
/// <c>{"call":{"from_number","to_number","direction","timestamp"},"agent":{…}}</c>, runs the journey for the customer's
/// number (the caller for inbound calls, the callee for outbound; <see cref="PreCallJourney"/>) and answers
/// <c>{"parameters":{…}}</c> (empty for an unknown caller), within
/// <see cref="PreCallOptions.LookupBudgetMilliseconds"/>. A data problem never gives a 500: the answer holds what is
/// known. Asked with <c>?explain=true</c>, the answer also holds the journey's report (what the CLI prints).
/// </summary>
public sealed class PreCallService(PreCallJourney journey, IOptions<PreCallOptions> options)
{
    public const int MaxBodyBytes = 64 * 1024;

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

        var (call, error) = Parse(body);
        if (error is not null)
        {
            return PreCallResult.Refused(400, "Bad Request", $"{error.Field}: {error.Detail}.", error.Field);
        }

        var answer = await journey.RunAsync(call!, cancellationToken);
        return PreCallResult.Found(answer.Parameters, request.Explain ? answer.Report : null);
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

    private (PreCallCall? Call, Events.EnvelopeError? Error) Parse(ReadOnlyMemory<byte> body)
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

            var direction = Text(call, "direction");
            var field = string.Equals(direction, "outbound", StringComparison.OrdinalIgnoreCase) ? "to_number" : "from_number";
            if (!call.TryGetProperty(field, out var number) || number.ValueKind != JsonValueKind.String)
            {
                return (null, new Events.EnvelopeError($"call.{field}", "required, a string"));
            }

            var agent = document.RootElement.TryGetProperty("agent", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
            return (new PreCallCall(
                PhoneNumbers.ToE164(number.GetString(), _options.DefaultCountryCode) ?? string.Empty,
                Number(call, "from_number"),
                Number(call, "to_number"),
                direction,
                agent.ValueKind == JsonValueKind.Object ? Text(agent, "id") : null,
                agent.ValueKind == JsonValueKind.Object ? Text(agent, "name") : null,
                body), null);
        }
        catch (JsonException e)
        {
            return (null, new Events.EnvelopeError("$", $"malformed JSON: {e.Message.Split(". ")[0]}"));
        }
    }

    /// <summary>A number of the call in E.164 when it is one, as sent otherwise.</summary>
    private string? Number(JsonElement call, string name) =>
        Text(call, name) is { } text ? PhoneNumbers.ToE164(text, _options.DefaultCountryCode) ?? text : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// What the lookup needs of the HTTP request, free of any web framework type. <paramref name="Explain"/>: the request
/// asked for the journey's report with the parameters (<c>?explain=true</c>).
/// </summary>
public sealed record PreCallRequest(string Method, string? ContentType, long? ContentLength, Stream Body, string? Authorization, bool Explain = false);

/// <summary>
/// The call Simple AI asks about, as its pre-call request describes it. <see cref="CustomerNumber"/> is the E.164 number
/// of the customer (the caller of an inbound call, the callee of an outbound one), empty when it is not a usable number.
/// </summary>
public sealed record PreCallCall(
    string CustomerNumber,
    string? FromNumber,
    string? ToNumber,
    string? Direction,
    string? AgentId,
    string? AgentName,
    ReadOnlyMemory<byte> Body);

/// <summary>200 with the parameters for Simple AI to merge into the call (and the report when asked), or a status with a problem.</summary>
public sealed record PreCallResult(int StatusCode, IReadOnlyDictionary<string, string>? Parameters = null, Problem? Problem = null, PreCallReport? Report = null)
{
    public static PreCallResult Found(IReadOnlyDictionary<string, string> parameters, PreCallReport? report = null) => new(200, parameters, Report: report);

    public static PreCallResult Refused(int status, string title, string detail, string? field = null) =>
        new(status, Problem: new Problem(title, detail, field));
}
