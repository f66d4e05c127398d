using System.Net;

namespace SimpleAi.Webhooks.Actions;

/// <summary>What came of posting a delivery.</summary>
public enum DeliveryResult
{
    /// <summary>2xx.</summary>
    Delivered,

    /// <summary>408, 429, 5xx, a timeout or an unreachable endpoint: try again later.</summary>
    Retryable,

    /// <summary>Any other status: the receiver refused it, and no retry changes that.</summary>
    Refused,
}

/// <param name="Reason">What came back, for the run's record and the logs: the status or the transport error, never the URL's path.</param>
/// <param name="RetryAfter">The receiver's <c>Retry-After</c> (seconds, or a date taken from now), when it sent one.</param>
public sealed record DeliveryOutcome(DeliveryResult Result, string Reason, int? Status = null, TimeSpan? RetryAfter = null)
{
    /// <summary>The outcome of an answer; <paramref name="body"/> is read only for a refusal.</summary>
    public static async Task<DeliveryOutcome> OfAsync(HttpResponseMessage response, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var reason = $"{status} {response.ReasonPhrase}".TrimEnd();
        if (response.IsSuccessStatusCode)
        {
            return new(DeliveryResult.Delivered, reason, status);
        }

        if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500)
        {
            return new(DeliveryResult.Retryable, reason, status, RetryAfterOf(response, now));
        }

        var excerpt = await response.Content.ReadAsStringAsync(cancellationToken);
        return new(DeliveryResult.Refused, $"{reason}: {(excerpt.Length > 200 ? excerpt[..200] + "…" : excerpt)}", status);
    }

    /// <summary><c>Retry-After</c> as a wait from <paramref name="now"/>: its seconds, or the time to its date (zero once past).</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        };
    }
}
