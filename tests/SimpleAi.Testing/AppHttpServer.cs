using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;
using SimpleAi.Functions;

namespace SimpleAi.Testing;

/// <summary>
/// The app's webhook endpoint on a real local HTTP server (Kestrel, loopback, free port), invoking the
/// <see cref="WebhookIngest"/> function class from the app's container, as the Functions host's HTTP proxy would:
/// for load tests with <c>simpleai-webhooks send</c>.
/// </summary>
public sealed class AppHttpServer : IAsyncDisposable
{
    private readonly WebApplication _web;

    private AppHttpServer(WebApplication web, Uri url)
    {
        _web = web;
        WebhookUrl = url;
    }

    public Uri WebhookUrl { get; }

    public static async Task<AppHttpServer> StartAsync(IServiceProvider app)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var web = builder.Build();
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.TraceContext).Returns(Mock.Of<TraceContext>());
        web.Map("/api/" + WebhookIngest.Route, async http =>
        {
            var result = await app.GetRequiredService<WebhookIngest>().Run(http.Request, context.Object);
            await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));
        });
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AppHttpServer(web, new Uri($"{address}/api/{WebhookIngest.Route}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
