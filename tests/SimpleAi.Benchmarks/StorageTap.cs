using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SimpleAi.Benchmarks;

/// <summary>
/// A counting pass-through in front of one Azurite: every blob, queue and table request of every client that uses
/// <see cref="ConnectionString"/> (the WebJobs host's listeners with their receives and deletes, the app's own clients,
/// the Durable Task Framework's clients) is forwarded unchanged and counted by method and queue, table or container.
/// The peer benchmark counts requests this way so that each engine is charged for all its storage traffic, its own
/// polling included, through the same meter. It adds a hop, so timed rounds do not go through it.
/// </summary>
public sealed partial class StorageTap : IAsyncDisposable
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Expect", "Content-Length",
    };

    private static readonly HashSet<string> NotReturned = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Transfer-Encoding", "Keep-Alive",
    };

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly HttpClient _azurite = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromMinutes(5) };
    private readonly List<WebApplication> _listeners = [];

    private StorageTap()
    {
    }

    /// <summary>The emulator's connection string with every endpoint pointing at the tap.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public IReadOnlyDictionary<string, int> Counts => _counts;

    public int Total => _counts.Values.Sum();

    /// <summary>One listener per endpoint of <paramref name="azuriteConnection"/>, each forwarding to that endpoint.</summary>
    public static async Task<StorageTap> StartAsync(string azuriteConnection)
    {
        ArgumentNullException.ThrowIfNull(azuriteConnection);
        var tap = new StorageTap();
        var connection = azuriteConnection;
        foreach (Match endpoint in Endpoint().Matches(azuriteConnection))
        {
            var target = new Uri(endpoint.Groups["url"].Value);
            var listener = await tap.ListenAsync(new Uri(target.GetLeftPart(UriPartial.Authority)));
            connection = connection.Replace(target.GetLeftPart(UriPartial.Authority), listener.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
        }

        tap.ConnectionString = connection;
        return tap;
    }

    private async Task<Uri> ListenAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.Run(context => ForwardAsync(context, target));
        await app.StartAsync();
        _listeners.Add(app);
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private async Task ForwardAsync(HttpContext context, Uri target)
    {
        var incoming = context.Request;
        Count(incoming.Method, incoming.Path.Value ?? "/");
        using var body = new MemoryStream();
        await incoming.Body.CopyToAsync(body, context.RequestAborted);
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(target, incoming.Path + incoming.QueryString));
        if (body.Length > 0 || incoming.ContentLength is not null)
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in incoming.Headers.Where(h => !NotForwarded.Contains(h.Key)))
        {
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _azurite.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !NotReturned.Contains(h.Key)))
        {
            context.Response.Headers[name] = values.ToArray();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>Counts "METHOD target", the target being the queue, table or container (path-style: /account/target/...).</summary>
    private void Count(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var target = segments.Length > 1 ? segments[1].Split('(')[0] : "(account)";
        _counts.AddOrUpdate($"{method} {target}", 1, (_, count) => count + 1);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners)
        {
            await listener.StopAsync();
            await listener.DisposeAsync();
        }

        _azurite.Dispose();
    }

    [GeneratedRegex(@"(?:Blob|Queue|Table)Endpoint=(?<url>http://[^;/]+)")]
    private static partial Regex Endpoint();
}
