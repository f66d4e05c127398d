using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using SimpleAi.Functions.Http;
using SimpleAi.Webhooks.Ingest;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions.Tests;

/// <summary>The problem+json and success bodies byte for byte, now that ASP.NET Core's ProblemDetails writes them.</summary>
public sealed class ProblemBodyTests
{
    private static async Task<(string ContentType, string Body)> ExecuteAsync(IActionResult result)
    {
        var http = new DefaultHttpContext();
        var body = new MemoryStream();
        http.Response.Body = body;

        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));

        return (http.Response.ContentType!, Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task IngestProblem_HasTypeTitleStatusDetailAndField_InThatOrder()
    {
        var result = new IngestHttpResult(new IngestResult(400, Problem: new Problem("Bad Request", "event_id is missing.", Field: "event_id")));

        var (contentType, body) = await ExecuteAsync(result);

        Assert.Equal("application/problem+json", contentType);
        Assert.Equal("""{"type":"about:blank","title":"Bad Request","status":400,"detail":"event_id is missing.","field":"event_id"}""", body);
    }

    [Fact]
    public async Task IngestAccepted_IsStatusAndEventId()
    {
        var (contentType, body) = await ExecuteAsync(new IngestHttpResult(new IngestResult(202, "evt_1")));

        Assert.Equal(("application/json", """{"status":"accepted","event_id":"evt_1"}"""), (contentType, body));
    }

    [Fact]
    public async Task PreCallFound_IsTheParametersUnescaped()
    {
        var result = new PreCallHttpResult(PreCallResult.Found(new Dictionary<string, string> { ["customer_name"] = "Zoë \"Z\" Ortiz" }));

        var (contentType, body) = await ExecuteAsync(result);

        Assert.Equal(("application/json", """{"parameters":{"customer_name":"Zoë \"Z\" Ortiz"}}"""), (contentType, body));
    }
}
