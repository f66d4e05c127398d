using System.Globalization;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;

namespace SimpleAi.Cli.Commands;

/// <summary>
/// Why one delivery of <c>send</c> failed: the endpoint's non-2xx answer (status, reason, the start of its body on one
/// line) or the transport's error in a few words (<c>connection refused</c>, <c>timed out after 30 s</c>, ...).
/// A record, so identical failures compare equal and are counted together.
/// </summary>
internal sealed record SendFailure(int? Status, string? Reason, string? Body, string? Error)
{
    /// <summary>How much of an answer's body is shown.</summary>
    public const int BodyCharacters = 200;

    private const int BodyBytesRead = 4 * BodyCharacters;

    public static async Task<SendFailure> OfAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var text = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, BodyBytesRead));
        return new SendFailure((int)response.StatusCode, response.ReasonPhrase, OneLine(text), null);
    }

    public static SendFailure OfTransport(Exception exception, TimeSpan timeout, string host) =>
        new(null, null, null, TransportCause(exception, timeout, host));

    /// <summary>The start of a body on one line: whitespace runs (line breaks included) become one space.</summary>
    private static string OneLine(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, BodyCharacters + 1));
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                line.Append(' ');
                space = false;
            }

            line.Append(c);
            if (line.Length > BodyCharacters)
            {
                return line.ToString(0, BodyCharacters) + "…";
            }
        }

        return line.ToString();
    }

    /// <summary>
    /// The cause in a few words, from <see cref="HttpRequestException.HttpRequestError"/> and the socket error under
    /// it. Never the URL (it may carry a token) and never the request.
    /// </summary>
    private static string TransportCause(Exception exception, TimeSpan timeout, string host) => exception switch
    {
        TaskCanceledException or TimeoutException => string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.###} s"),
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => $"name not resolved: {host}",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } e => ConnectionCause(e, host),
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } e => $"TLS failure: {Innermost(e).Message}",
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "the connection closed before a complete answer",
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => "the answer is not valid HTTP",
        _ => Innermost(exception).Message,
    };

    private static string ConnectionCause(HttpRequestException exception, string host) => Innermost(exception) switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException { SocketErrorCode: SocketError.TimedOut } => "connect timed out",
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => $"name not resolved: {host}",
        SocketException { SocketErrorCode: SocketError.HostUnreachable } => "host unreachable",
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.NetworkDown } => "network unreachable",
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => "connection reset",
        SocketException socket => $"connection failed ({socket.SocketErrorCode})",
        var other => $"connection failed: {other.Message}",
    };

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    public string ToText() => Error is not null
        ? $"error: {Error}"
        : string.Create(
            CultureInfo.InvariantCulture,
            $"{Status}{(string.IsNullOrEmpty(Reason) ? string.Empty : " " + Reason)}{(string.IsNullOrEmpty(Body) ? string.Empty : ": " + Body)}");

    public Dictionary<string, object> ToJson(int count)
    {
        var json = new Dictionary<string, object> { ["count"] = count };
        if (Error is not null)
        {
            json["error"] = Error;
        }
        else
        {
            json["status"] = Status!;
            json["reason"] = Reason ?? string.Empty;
            json["body"] = Body ?? string.Empty;
        }

        return json;
    }
}
