using SimpleAi.Functions.Http;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions;

/// <summary>
/// <c>POST /api/precall</c>: Simple AI's pre-call hook asks for the caller's data (see <see cref="PreCallService"/>).
/// Anonymous at the Functions level: the bearer token is the authentication.
/// </summary>
public sealed class PreCallLookup(PreCallService lookup)
{
    public const string Route = "precall";

    [Function(nameof(PreCallLookup))]
    public async Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, Route = Route)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await lookup.HandleAsync(
            new PreCallRequest(request.Method, request.ContentType, request.ContentLength, request.Body, request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null),
            request.HttpContext.RequestAborted);
        return JsonOrProblemResult.Of(result);
    }
}
