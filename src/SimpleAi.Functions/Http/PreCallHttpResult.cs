using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions.Http;

/// <summary>Writes a <see cref="PreCallResult"/>: <c>{"parameters":{…}}</c>, or a problem.</summary>
public sealed class PreCallHttpResult(PreCallResult result) : IActionResult
{
    public PreCallResult Result { get; } = result;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = Result.StatusCode;
        if (Result.StatusCode == 405)
        {
            response.Headers.Allow = "POST";
        }

        return ProblemJson.WriteAsync(
            response, Result.Problem, new { parameters = Result.Parameters ?? new Dictionary<string, string>() }, context.HttpContext.RequestAborted);
    }
}
