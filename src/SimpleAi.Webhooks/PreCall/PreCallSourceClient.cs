using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.PostCall;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>
/// Asks one HTTP source: a POST of <c>{"phone", "call", "agent"}</c> (or <c>{"phone"}</c>), signed with the source's
/// secret as the action steps sign (<see cref="SignedPoster"/>), within the source's timeout on
/// <see cref="TimeProvider"/>. The answer must be a JSON object of at most <see cref="MaxAnswerBytes"/>; its fields
/// become text as rules compare them (strings bare, numbers and booleans as written, objects and arrays as JSON, nulls
/// left out). Never throws for what the source does: every fault is an outcome.
/// </summary>
public sealed class PreCallSourceClient(IHttpClientFactory clients, TimeProvider time)
{
    public const string HttpClientName = "pre-call-sources";

    public const int MaxAnswerBytes = 64 * 1024;

    public async Task<(SourceOutcome Outcome, IReadOnlyDictionary<string, string>? Fields)> AskAsync(
        PreCallSourceOptions source, PreCallCall call, CancellationToken journey)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(call);
        var started = time.GetTimestamp();
        SourceOutcome Outcome(string outcome, string? detail = null) =>
            new(source.Name, outcome, time.GetElapsedTime(started).TotalMilliseconds, detail);

        if (source.Unavailable || source.Url is null)
        {
            return (Outcome(SourceOutcome.Unavailable, "its URL or secret setting is not resolved"), null);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(source.TimeoutMilliseconds), time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(journey, timeout.Token);
        try
        {
            using var response = await SignedPoster.PostAsync(
                clients.CreateClient(HttpClientName), source.Url, source.SigningSecret, $"precall_{Guid.NewGuid():N}",
                RequestBody(source, call), Timeout.InfiniteTimeSpan, time, both.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (Outcome(SourceOutcome.HttpError, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)), null);
            }

            var body = await ReadCappedAsync(response.Content, both.Token);
            if (body is null)
            {
                return (Outcome(SourceOutcome.TooLarge, $"over {MaxAnswerBytes} bytes"), null);
            }

            return Fields(body) is { } fields
                ? (Outcome(SourceOutcome.Answered), fields)
                : (Outcome(IsJson(body) ? SourceOutcome.NotAnObject : SourceOutcome.InvalidJson), null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (Outcome(SourceOutcome.Timeout, $"no answer within {source.TimeoutMilliseconds} ms"), null);
        }
        catch (OperationCanceledException) when (journey.IsCancellationRequested)
        {
            return (Outcome(SourceOutcome.OverBudget), null);
        }
        catch (HttpRequestException e)
        {
            return (Outcome(SourceOutcome.Unreachable, e.HttpRequestError.ToString()), null);
        }
    }

    /// <summary>The request's JSON: the customer's number, and the call and agent objects as Simple AI sent them.</summary>
    public static byte[] RequestBody(PreCallSourceOptions source, PreCallCall call)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(call);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, OutboundJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("phone", call.CustomerNumber);
            if (source.Send == PreCallSourceOptions.SendCall)
            {
                using var request = JsonDocument.Parse(call.Body);
                foreach (var name in (string[])["call", "agent"])
                {
                    if (request.RootElement.TryGetProperty(name, out var value))
                    {
                        json.WritePropertyName(name);
                        value.WriteTo(json);
                    }
                }
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The fields of a JSON object answer; null when the answer is not JSON or not an object.</summary>
    internal static Dictionary<string, string>? Fields(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var answer = JsonDocument.Parse(body);
            if (answer.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in answer.RootElement.EnumerateObject())
            {
                if (CallFacts.Text(property.Value) is { } text)
                {
                    fields[property.Name] = text;
                }
            }

            return fields;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsJson(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxAnswerBytes"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxAnswerBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxAnswerBytes + 1];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
        {
            read += n;
        }

        return read > MaxAnswerBytes ? null : buffer[..read];
    }
}
