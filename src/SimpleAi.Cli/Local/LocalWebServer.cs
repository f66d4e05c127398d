using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SimpleAi.Cli.Local;

/// <summary>
/// Kestrel on the given URLs with one request handler and nothing else: no configuration files, no logging, no
/// Ctrl+C handling (whoever starts it decides when to dispose it), so it runs the same under the CLI and in process.
/// </summary>
internal sealed class LocalWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalWebServer(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>The first address it listens on, with the real port when the URL asked for port 0, ending in <c>/</c>.</summary>
    public Uri Root { get; }

    /// <exception cref="ArgumentException">The URL is not an absolute http URL.</exception>
    /// <exception cref="IOException">The address is in use or cannot be bound.</exception>
    public static async Task<LocalWebServer> StartAsync(Uri url, RequestDelegate handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"'{url}' is not an absolute http:// URL");
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls($"{url.Scheme}://{url.Authority}");
        builder.Services.AddSingleton<IHostLifetime, HandsOffLifetime>();
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalWebServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Leaves SIGINT/SIGTERM to the process: the CLI's command line and a hosting app handle those.</summary>
    private sealed class HandsOffLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
