using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Moq;

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
        var trace = new Mock<TraceContext>();
        trace.SetupGet(t => t.TraceParent).Returns(TraceParent);
        trace.SetupGet(t => t.TraceState).Returns("vendor=test");
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.TraceContext).Returns(trace.Object);

        var result = await function(http.Request, context.Object);
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
