using SimpleAi.Webhooks.Ingest;

namespace SimpleAi.Webhooks.PreCall;

/// <summary>200 with the parameters for Simple AI to merge into the call (and the report when asked), or a status with a problem.</summary>
public sealed record PreCallResult(int StatusCode, IReadOnlyDictionary<string, string>? Parameters = null, Problem? Problem = null, PreCallReport? Report = null)
{
    public static PreCallResult Found(IReadOnlyDictionary<string, string> parameters, PreCallReport? report = null) => new(200, parameters, Report: report);

    public static PreCallResult Refused(int status, string title, string detail, string? field = null) =>
        new(status, Problem: new Problem(title, detail, field));
}
