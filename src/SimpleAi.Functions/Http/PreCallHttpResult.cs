using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using SimpleAi.Webhooks.Outbound;
using SimpleAi.Webhooks.PreCall;

namespace SimpleAi.Functions.Http;

/// <summary>Writes a <see cref="PreCallResult"/>: <c>{"parameters":{…}}</c>, or a problem.</summary>
public sealed class PreCallHttpResult(PreCallResult result) : IActionResult
{
    public PreCallResult Result { get; } = result;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = Result.StatusCode;
        if (Result.StatusCode == 405)
        {
            response.Headers.Allow = "POST";
        }

        response.ContentType = Result.Problem is null ? "application/json" : ProblemJson.ContentType;
        await using var writer = new Utf8JsonWriter(response.Body, OutboundJson.WriterOptions);
        if (Result.Problem is { } problem)
        {
            ProblemJson.Write(writer, Result.StatusCode, problem);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteStartObject("parameters");
            foreach (var (name, value) in Result.Parameters ?? new Dictionary<string, string>())
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await writer.FlushAsync(context.HttpContext.RequestAborted);
    }
}
