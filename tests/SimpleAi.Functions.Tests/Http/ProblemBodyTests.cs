using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using SimpleAi.Functions.Http;
using SimpleAi.Webhooks.Ingest;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions.Tests.Http;

/// <summary>The problem+json and success bodies byte for byte, now that ASP.NET Core's ProblemDetails writes them.</summary>
public sealed class ProblemBodyTests
{
    private static async Task<(string ContentType, string Body)> ExecuteAsync(IActionResult result)
    {
        var response = await RespondAsync(result);
        return (response.ContentType!, Encoding.UTF8.GetString(((MemoryStream)response.Body).ToArray()));
    }

    private static async Task<HttpResponse> RespondAsync(IActionResult result)
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();

        await result.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));

        return http.Response;
    }

    [Fact]
    public async Task IngestProblem_HasTypeTitleStatusDetailAndField_InThatOrder()
    {
        var result = JsonOrProblemResult.Of(new IngestResult(400, Problem: new Problem("Bad Request", "event_id is missing.", Field: "event_id")));

        var (contentType, body) = await ExecuteAsync(result);

        Assert.Equal("application/problem+json", contentType);
        Assert.Equal("""{"type":"about:blank","title":"Bad Request","status":400,"detail":"event_id is missing.","field":"event_id"}""", body);
    }

    [Fact]
    public async Task IngestAccepted_IsStatusAndEventId()
    {
        var (contentType, body) = await ExecuteAsync(JsonOrProblemResult.Of(new IngestResult(202, "evt_1")));

        Assert.Equal(("application/json", """{"status":"accepted","event_id":"evt_1"}"""), (contentType, body));
    }

    [Fact]
    public async Task PreCallFound_IsTheParametersUnescaped()
    {
        var result = JsonOrProblemResult.Of(PreCallResult.Found(new Dictionary<string, string> { ["customer_name"] = "Zoë \"Z\" Ortiz" }));

        var (contentType, body) = await ExecuteAsync(result);

        Assert.Equal(("application/json", """{"parameters":{"customer_name":"Zoë \"Z\" Ortiz"}}"""), (contentType, body));
    }

    [Fact]
    public async Task PreCallWrongMethod_Is405WithAllowPostAndAProblem()
    {
        var result = JsonOrProblemResult.Of(PreCallResult.Refused(405, "Method Not Allowed", "GET is not supported: POST the call."));

        var response = await RespondAsync(result);

        Assert.Equal((405, "POST", "application/problem+json"), (response.StatusCode, response.Headers.Allow.ToString(), response.ContentType));
    }

    [Fact]
    public async Task PreCallRefused_HasNoAllowHeader()
    {
        var response = await RespondAsync(JsonOrProblemResult.Of(PreCallResult.Refused(401, "Unauthorized", "The bearer token is missing.")));

        Assert.Equal((401, string.Empty), (response.StatusCode, response.Headers.Allow.ToString()));
    }
}
