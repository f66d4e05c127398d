using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SimpleAi.Webhooks.Json;

namespace SimpleAi.Cli.Local;

/// <summary>
/// A local Simple AI API: <c>GET /api/v1/calls/{uuid}</c> answers a call (<see cref="LocalSimpleAiApiOptions.Calls"/>)
/// with the asked uuid as its <c>simple_uuid</c>, as the app's <c>SimpleAiClient</c> reads it. Like the real API it
/// wants an <c>Authorization</c> header (any non-empty key; 401 without), and answers 404 for a uuid that is
/// malformed or (from a folder) unknown. A call is live for <see cref="LocalSimpleAiApiOptions.LiveFor"/> after its
/// first request: in progress, its transcript one line longer at each GET, so live transcripts can be tried offline.
/// Start it with <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed class LocalSimpleAiApi : IAsyncDisposable
{
    /// <summary>The path under which the real API serves (<c>https://api.prod.usesimple.ai/api/v1</c>).</summary>
    public const string BasePath = "/api/v1";

    private const string FixtureResource = "SimpleAi.Cli.Local.get-call-completed.json";

    private readonly LocalSimpleAiApiOptions _options;
    private readonly byte[]? _singleCall;
    private readonly ConcurrentDictionary<Guid, LiveCall> _calls = new();
    private LocalWebServer? _server;

    private LocalSimpleAiApi(LocalSimpleAiApiOptions options, byte[]? singleCall)
    {
        _options = options;
        _singleCall = singleCall;
    }

    /// <summary>The value for <c>SimpleAi__BaseUrl</c>: <c>http://host:port/api/v1/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <exception cref="ArgumentException">The calls file is missing or not a JSON object, or the folder is missing.</exception>
    /// <exception cref="IOException">The address is in use.</exception>
    public static async Task<LocalSimpleAiApi> StartAsync(LocalSimpleAiApiOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var api = new LocalSimpleAiApi(options, ReadSingleCall(options.Calls));
        api._server = await LocalWebServer.StartAsync(options.Url, api.HandleAsync, cancellationToken);
        api.BaseUrl = new Uri(api._server.Root, BasePath.TrimStart('/') + "/");
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static byte[]? ReadSingleCall(string? calls)
    {
        if (calls is null)
        {
            using var fixture = typeof(LocalSimpleAiApi).Assembly.GetManifestResourceStream(FixtureResource)
                ?? throw new InvalidOperationException($"The embedded fixture {FixtureResource} is missing from the build.");
            using var copy = new MemoryStream();
            fixture.CopyTo(copy);
            return copy.ToArray();
        }

        if (Directory.Exists(calls))
        {
            return null;
        }

        if (!File.Exists(calls))
        {
            throw new ArgumentException($"no file or folder '{calls}'");
        }

        var bytes = File.ReadAllBytes(calls);
        try
        {
            _ = JsonNode.Parse(bytes) as JsonObject ?? throw new ArgumentException($"'{calls}' is not a JSON object (a call)");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"'{calls}' is not JSON: {e.Message}", e);
        }

        return bytes;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var answer = Answer(request.Method, path, request.Headers.Authorization.ToString());
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
        _options.OnRequest?.Invoke(answer.Request with { At = _options.Time.GetUtcNow(), Method = request.Method, Path = path });
    }

    private (int Status, byte[] Body, LocalApiRequest Request) Answer(string method, string path, string authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return Error(401, "no Authorization header (any API key will do here)");
        }

        var prefix = BasePath + "/calls/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || path.Length == prefix.Length || path.IndexOf('/', prefix.Length) >= 0)
        {
            return Error(404, $"no such endpoint (this API serves GET {prefix}{{uuid}})");
        }

        if (!HttpMethods.IsGet(method))
        {
            return Error(405, "only GET is served here");
        }

        var idText = path[prefix.Length..];
        if (!Guid.TryParseExact(idText, "D", out var callId))
        {
            return Error(404, $"'{idText}' is not a call uuid");
        }

        JsonObject call;
        try
        {
            if (ReadCall(callId) is not { } found)
            {
                return Error(404, $"no {callId:D}.json in {_options.Calls}", callId);
            }

            call = found;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return Error(500, $"{callId:D}.json in {_options.Calls} is unreadable: {e.Message}", callId);
        }

        call["simple_uuid"] = callId.ToString("D");
        var transcripts = call["transcripts"] as JsonArray;
        var total = transcripts?.Count ?? 0;
        var (live, shown) = Observe(callId, total);
        if (live)
        {
            call["status"] = "in-progress";
            call["ended_at"] = null;
            call["duration"] = null;
            call["recording_presigned_url"] = null;
            call["summary"] = null;
            call["analysis_results"] = new JsonArray();
            while (transcripts is not null && transcripts.Count > shown)
            {
                transcripts.RemoveAt(transcripts.Count - 1);
            }
        }

        var body = Encoding.UTF8.GetBytes(call.ToJsonString(OutboundJson.SerializerOptions));
        return (200, body, new LocalApiRequest(default, string.Empty, string.Empty, 200, callId, live, live ? shown : total, total, null));
    }

    private JsonObject? ReadCall(Guid callId)
    {
        if (_singleCall is not null)
        {
            return JsonNode.Parse(_singleCall) as JsonObject;
        }

        var folder = _options.Calls!;
        var file = new[] { callId.ToString("D"), callId.ToString("D").ToUpperInvariant() }
            .Select(name => Path.Combine(folder, name + ".json"))
            .FirstOrDefault(File.Exists);
        return file is null
            ? null
            : JsonNode.Parse(File.ReadAllBytes(file)) as JsonObject ?? throw new JsonException("not a JSON object");
    }

    /// <summary>Counts this GET of the call: whether it is still live, and then how many transcript lines it shows.</summary>
    private (bool Live, int Shown) Observe(Guid callId, int total)
    {
        var now = _options.Time.GetUtcNow();
        var state = _calls.GetOrAdd(callId, _ => new LiveCall(now));
        lock (state)
        {
            state.Gets++;
            var live = _options.LiveFor > TimeSpan.Zero && now - state.FirstSeen < _options.LiveFor;
            return (live, Math.Min(state.Gets, total));
        }
    }

    private static (int, byte[], LocalApiRequest) Error(int status, string detail, Guid? callId = null)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject { ["detail"] = detail }.ToJsonString(OutboundJson.SerializerOptions));
        return (status, body, new LocalApiRequest(default, string.Empty, string.Empty, status, callId, false, null, null, detail));
    }

    private sealed class LiveCall(DateTimeOffset firstSeen)
    {
        public DateTimeOffset FirstSeen { get; } = firstSeen;

        public int Gets { get; set; }
    }
}

/// <summary>
/// One request <see cref="LocalSimpleAiApi"/> answered: its status, and for a call it served whether the call was
/// live and how many of its transcript lines went out. <see cref="Note"/> says why in a few words when it was not 200.
/// </summary>
public sealed record LocalApiRequest(
    DateTimeOffset At, string Method, string Path, int Status, Guid? CallId, bool Live, int? TranscriptLines, int? TranscriptTotal, string? Note);
