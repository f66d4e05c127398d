using SimpleAi.Webhooks.Ingest;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>200 with the parameters for Simple AI to merge into the call, or a status with a problem.</summary>
public sealed record PreCallResult(int StatusCode, IReadOnlyDictionary<string, string>? Parameters = null, Problem? Problem = null)
{
    public static PreCallResult Found(IReadOnlyDictionary<string, string> parameters) => new(200, parameters);

    public static PreCallResult Refused(int status, string title, string detail, string? field = null) =>
        new(status, Problem: new Problem(title, detail, field));
}
