using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Http.Logging;

namespace SimpleAi.Webhooks.Hosting;

/// <summary>
/// The app's only log of outbound HTTP, in place of IHttpClientFactory's default loggers (which write the full URI
/// at Information and open a scope with it): one line per request with the method, scheme and host, status and time.
/// Action, call.started and enrichment URLs are secrets (a Slack or Teams incoming-webhook URL is its own credential),
/// so no path, query or exception text (which may quote the URI) is ever written.
/// </summary>
[SuppressMessage("Performance", "CA1812", Justification = "Created by the HTTP client factory through DI.")]
internal sealed partial class EndpointOnlyHttpLogger(ILogger<EndpointOnlyHttpLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        LogAnswered(request.Method.Method, Endpoint(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(exception);
        var error = exception is HttpRequestException http ? $"{exception.GetType().Name} {http.HttpRequestError}" : exception.GetType().Name;
        LogFailed(request.Method.Method, Endpoint(request.RequestUri), error, elapsed.TotalMilliseconds);
    }

    /// <summary><c>https://hooks.slack.com</c> of <c>https://hooks.slack.com/services/T…/B…/secret</c>.</summary>
    internal static string Endpoint(Uri? uri) => uri is { IsAbsoluteUri: true } ? $"{uri.Scheme}://{uri.Authority}" : "(relative URI)";

    [LoggerMessage(1, LogLevel.Information, "HTTP {Method} {Endpoint} answered {StatusCode} in {ElapsedMilliseconds:0.#} ms")]
    private partial void LogAnswered(string method, string endpoint, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(2, LogLevel.Warning, "HTTP {Method} {Endpoint} failed ({Error}) after {ElapsedMilliseconds:0.#} ms")]
    private partial void LogFailed(string method, string endpoint, string error, double elapsedMilliseconds);
}
