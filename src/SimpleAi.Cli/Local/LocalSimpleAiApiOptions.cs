namespace SimpleAi.Cli.Local;

/// <summary>What <see cref="LocalSimpleAiApi"/> serves and where.</summary>
public sealed record LocalSimpleAiApiOptions
{
    /// <summary>The default address of <c>simpleai-webhooks fake-api</c>.</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:5080");

    /// <summary>Scheme, host and port to listen on (port 0: a free one); any path is ignored (the API is under <c>/api/v1</c>).</summary>
    public Uri Url { get; init; } = DefaultUrl;

    /// <summary>
    /// A call JSON file served for every uuid, or a folder of <c>&lt;uuid&gt;.json</c> files (an unknown uuid is 404);
    /// null serves the fixture call <c>tests/fixtures/simple-ai/get-call-completed.json</c> (embedded) for every uuid.
    /// </summary>
    public string? Calls { get; init; }

    /// <summary>
    /// How long a call stays live after its first request: while live it answers <c>status: in-progress</c> with no
    /// <c>ended_at</c>, and each GET one more transcript line than the last. Zero (the default): every call has ended.
    /// </summary>
    public TimeSpan LiveFor { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Called once per request, after it was answered (from the server's threads).</summary>
    public Action<LocalApiRequest>? OnRequest { get; init; }
}
