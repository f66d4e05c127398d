using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SimpleAi.Testing;

/// <summary>
/// A real local HTTP server (Kestrel on a free loopback port) standing in for the Simple AI API and the outbound
/// endpoints: scripted answers per path, and a record of every request it received.
/// </summary>
public sealed class FakeHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeResponse>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeResponse> _defaults = new(StringComparer.Ordinal);

    private FakeHttpServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<FakeHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeHttpServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/");
        return server;
    }

    public Uri Url(string path) => new(BaseUrl, path.TrimStart('/'));

    /// <summary>Answers for <paramref name="path"/> in order; after the last, the default (or 200 {}).</summary>
    public FakeHttpServer Script(string path, params FakeResponse[] responses)
    {
        var queue = _scripts.GetOrAdd(path, _ => new ConcurrentQueue<FakeResponse>());
        foreach (var response in responses)
        {
            queue.Enqueue(response);
        }

        return this;
    }

    public FakeHttpServer Default(string path, FakeResponse response)
    {
        _defaults[path] = response;
        return this;
    }

    public IReadOnlyList<RecordedRequest> To(string path) => Requests.Where(r => r.Path == path).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            path,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray(),
            DateTimeOffset.UtcNow));
        var response = _scripts.TryGetValue(path, out var queue) && queue.TryDequeue(out var scripted)
            ? scripted
            : _defaults.GetValueOrDefault(path) ?? FakeResponse.Json("{}");
        if (response.Delay > TimeSpan.Zero)
        {
            await Task.Delay(response.Delay);
        }

        if (response.AnswerAfter is { } hold)
        {
            await hold;
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = response.ContentType;
        await context.Response.Body.WriteAsync(response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record FakeResponse(int Status, byte[] Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null)
{
    public TimeSpan Delay { get; init; }

    /// <summary>The answer waits for this task: a test acts while the request is in flight, then lets it answer.</summary>
    public Task? AnswerAfter { get; init; }

    public static FakeResponse Json(string json, int status = 200) => new(status, System.Text.Encoding.UTF8.GetBytes(json));

    public static FakeResponse Json(byte[] json, int status = 200) => new(status, json);

    public static FakeResponse Text(int status, string body = "") => new(status, System.Text.Encoding.UTF8.GetBytes(body), "text/plain");
}

public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
{
    public string Header(string name) => Headers.GetValueOrDefault(name) ?? string.Empty;
}
