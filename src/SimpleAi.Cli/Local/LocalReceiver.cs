using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Local;

/// <summary>
/// A local receiver for the app's action deliveries (README "Outbound documents"): every request, on any path, is
/// verified the Standard Webhooks way with its step's secret, as a receiver should, and answered
/// <see cref="Status"/> when the signature is valid, 401 when not. The step is the part of <c>Idempotency-Key</c>
/// (<c>{call_id}:{step}</c>) after its colon, else the path's last segment (for requests without the key).
/// Start it with <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed class LocalReceiver : IAsyncDisposable
{
    private const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly LocalReceiverOptions _options;
    private readonly StandardWebhookVerifier? _default;
    private readonly Dictionary<string, StandardWebhookVerifier> _steps;
    private readonly ConcurrentDictionary<string, int> _tries = new(StringComparer.Ordinal);
    private LocalWebServer? _server;
    private volatile int _status;

    private LocalReceiver(LocalReceiverOptions options)
    {
        _options = options;
        _status = options.Status;
        _default = options.Secret is null ? null : new StandardWebhookVerifier([options.Secret], options.Tolerance, options.Time);
        _steps = options.StepSecrets.ToDictionary(
            s => s.Key, s => new StandardWebhookVerifier([s.Value], options.Tolerance, options.Time), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Where it listens, ending in <c>/</c>: give each step <c>{Url}{step}</c> as its <c>Actions__&lt;step&gt;__Url</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>What a validly signed delivery is answered from now on (to rehearse failures and recoveries).</summary>
    public int Status
    {
        get => _status;
        set => _status = value is >= 100 and <= 599 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "an HTTP status is 100 to 599");
    }

    /// <exception cref="ArgumentException">No secret at all, or a status that is not an HTTP status.</exception>
    /// <exception cref="IOException">The address is in use.</exception>
    public static async Task<LocalReceiver> StartAsync(LocalReceiverOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Secret is null && options.StepSecrets.Count == 0)
        {
            throw new ArgumentException("a receiver needs a signing secret (for every step, or one per step)");
        }

        if (options.Status is < 100 or > 599)
        {
            throw new ArgumentException($"{options.Status} is not an HTTP status (100 to 599)");
        }

        var receiver = new LocalReceiver(options);
        try
        {
            receiver._server = await LocalWebServer.StartAsync(options.Url, receiver.HandleAsync, cancellationToken);
        }
        catch
        {
            receiver.DisposeVerifiers();
            throw;
        }

        receiver.Url = receiver._server.Root;
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        DisposeVerifiers();
    }

    private void DisposeVerifiers()
    {
        _default?.Dispose();
        foreach (var verifier in _steps.Values)
        {
            verifier.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var path = request.Path.Value ?? "/";
        var key = request.Headers[IdempotencyKeyHeader].ToString() is { Length: > 0 } k ? k : null;
        var step = StepOf(key, path);
        var verification = VerifierOf(step) is { } verifier
            ? verifier.Verify(body, name => request.Headers[name].ToString() is { Length: > 0 } value ? value : null)
            : SignatureVerification.Fail(SignatureFailure.SignatureMismatch, $"no secret for step '{step ?? "(none)"}'");
        var status = verification.IsValid ? _status : StatusCodes.Status401Unauthorized;
        var answer = verification.IsValid
            ? status is >= 200 and < 300 ? new JsonObject { ["received"] = key ?? path } : new JsonObject { ["error"] = $"rehearsed failure: listen answers {status}" }
            : new JsonObject { ["error"] = $"invalid signature: {verification.Reason}" };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer.ToJsonString(OutboundJson.SerializerOptions)), context.RequestAborted);
        var tries = _tries.AddOrUpdate(key ?? request.Headers[WebhookHeaders.IdName].ToString(), 1, (_, n) => n + 1);
        _options.OnDelivery?.Invoke(new ReceivedDelivery(
            _options.Time.GetUtcNow(),
            request.Method,
            path,
            step,
            key,
            request.Headers[WebhookHeaders.IdName].ToString() is { Length: > 0 } id ? id : null,
            tries,
            verification.IsValid,
            verification.IsValid ? null : verification.Reason,
            status,
            body));
    }

    private StandardWebhookVerifier? VerifierOf(string? step) =>
        step is not null && _steps.TryGetValue(step, out var own) ? own : _default;

    private static string? StepOf(string? key, string path)
    {
        var colon = key?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon >= 0 && colon < key!.Length - 1)
        {
            return key[(colon + 1)..];
        }

        var segment = path.TrimEnd('/');
        segment = segment[(segment.LastIndexOf('/') + 1)..];
        return segment.Length > 0 ? Uri.UnescapeDataString(segment) : null;
    }
}

/// <summary>
/// One request <see cref="LocalReceiver"/> answered. <see cref="Step"/> comes from <c>Idempotency-Key</c>
/// (<c>{call_id}:{step}</c>), else the path's last segment; <see cref="Try"/> counts the deliveries of one
/// idempotency key (2 and up: the app retried); <see cref="Problem"/> says why the signature is invalid.
/// </summary>
public sealed record ReceivedDelivery(
    DateTimeOffset At,
    string Method,
    string Path,
    string? Step,
    string? IdempotencyKey,
    string? WebhookId,
    int Try,
    bool SignatureValid,
    string? Problem,
    int Status,
    byte[] Body);
