using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using SimpleAi.LocalHost.Invocation;

namespace SimpleAi.Testing;

/// <summary>Plays the host for an HTTP trigger: builds the ASP.NET Core request, runs the function, writes its result.</summary>
public static class HttpInvoker
{
    public const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    public static async Task<HttpResponseRecord> InvokeAsync(
        Func<HttpRequest, FunctionContext, Task<IActionResult>> function,
        string method,
        Stream body,
        long? contentLength,
        string? contentType,
        IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(function);
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Body = body;
        http.Request.ContentLength = contentLength;
        http.Request.ContentType = contentType;
        foreach (var (name, value) in headers)
        {
            http.Request.Headers.Append(name, value);
        }

        var responseBody = new MemoryStream();
        http.Response.Body = responseBody;
        await using var services = new ServiceCollection().BuildServiceProvider();
        var context = new LocalFunctionContext(
            "http", "http", services, new Dictionary<string, object?>(), TraceParent, "vendor=test", CancellationToken.None);

        var result = await function(http.Request, context);
        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));

        responseBody.Position = 0;
        using var document = responseBody.Length == 0 ? null : await JsonDocument.ParseAsync(responseBody);
        return new HttpResponseRecord(
            http.Response.StatusCode,
            http.Response.ContentType,
            http.Response.Headers,
            document?.RootElement.Clone());
    }
}

public sealed record HttpResponseRecord(int Status, string? ContentType, IHeaderDictionary Headers, JsonElement? Json)
{
    public string? Field => Json?.TryGetProperty("field", out var value) == true ? value.GetString() : null;

    public string? Detail => Json?.TryGetProperty("detail", out var detail) == true ? detail.GetString() : null;
}
