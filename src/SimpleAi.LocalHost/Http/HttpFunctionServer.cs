using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using SimpleAi.LocalHost.Invocation;

namespace SimpleAi.LocalHost.Http;

/// <summary>
/// The HTTP functions on Kestrel: <c>/{routePrefix}/{route}</c> for every <c>httpTrigger</c>, with its methods (none
/// listed: all), route values in the binding data (so bound to same-named string parameters), the real <see cref="HttpRequest"/>, and the
/// returned <see cref="IActionResult"/> or <see cref="IResult"/> executed on the response, as the worker's ASP.NET Core integration does.
/// Function keys are not checked (Core Tools does not check them locally either). A function that throws answers 500.
/// </summary>
internal sealed class HttpFunctionServer : IAsyncDisposable
{
    private readonly WebApplication _web;

    private HttpFunctionServer(WebApplication web, Uri address)
    {
        _web = web;
        Address = address;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    public static async Task<HttpFunctionServer> StartAsync(
        IReadOnlyList<FunctionInvoker> functions, string routePrefix, string url, Action<ILoggingBuilder> logging, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        logging(builder.Logging);
        builder.WebHost.UseUrls(url);
        // The executors of ObjectResult, JsonResult and the other MVC results the functions return.
        builder.Services.AddMvcCore();
        var web = builder.Build();
        var prefix = string.IsNullOrEmpty(routePrefix) ? string.Empty : "/" + routePrefix.Trim('/');
        foreach (var function in functions)
        {
            var http = (HttpTriggerBinding)function.Function.Trigger;
            var pattern = $"{prefix}/{http.Route.TrimStart('/')}";
            RequestDelegate handler = context => InvokeAsync(function, context);
            if (http.Methods.Count == 0)
            {
                web.Map(pattern, handler);
            }
            else
            {
                web.MapMethods(pattern, http.Methods.Select(m => m.ToUpperInvariant()), handler);
            }
        }

        await web.StartAsync(cancellationToken);
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpFunctionServer(web, new Uri(address.TrimEnd('/') + "/"));
    }

    private static async Task InvokeAsync(FunctionInvoker function, HttpContext http)
    {
        var bindingData = new Dictionary<string, object?>(http.Request.RouteValues, StringComparer.OrdinalIgnoreCase)
        {
            ["Query"] = http.Request.QueryString.Value,
        };
        object? result;
        try
        {
            result = await function.InvokeAsync(new Invocation.Invocation(
                http.Request,
                bindingData,
                null,
                http.Request.Headers["traceparent"].FirstOrDefault(),
                http.Request.Headers["tracestate"].FirstOrDefault(),
                http.RequestAborted));
        }
        catch (Exception) when (!http.Response.HasStarted)
        {
            // Recorded by the invoker; the host answers a failed invocation with 500.
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        if (result is IActionResult action)
        {
            await action.ExecuteResultAsync(new ActionContext(http, new RouteData(http.Request.RouteValues), new ActionDescriptor()));
        }
        else if (result is IResult minimal)
        {
            await minimal.ExecuteAsync(http);
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
