namespace SimpleAi.Cli.Local;

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
