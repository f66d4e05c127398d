using System.Text.Json.Nodes;

namespace SimpleAi.Testing;

/// <summary>
/// One telemetry item as the Azure Monitor exporter sent it, read as Application Insights stores it: the table its
/// <c>baseType</c> lands in, its item name (a metric's or request's <c>name</c>), its message (a trace's text, an
/// exception's message) and its properties (<c>customDimensions</c>).
/// </summary>
public sealed record CapturedEnvelope(
    string BaseType,
    string Table,
    string? Name,
    string? Message,
    IReadOnlyDictionary<string, string> Dimensions,
    JsonObject Raw)
{
    /// <summary>Where each envelope type is stored (the Application Insights tables a log query names).</summary>
    public static readonly IReadOnlyDictionary<string, string> TableOf = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MetricData"] = "customMetrics",
        ["MessageData"] = "traces",
        ["ExceptionData"] = "exceptions",
        ["RequestData"] = "requests",
        ["RemoteDependencyData"] = "dependencies",
        ["EventData"] = "customEvents",
    };

    public static CapturedEnvelope From(JsonObject envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var data = envelope["data"]!;
        var baseType = data["baseType"]!.GetValue<string>();
        var baseData = data["baseData"]!;
        var name = baseType switch
        {
            "MetricData" => baseData["metrics"]?[0]?["name"]?.GetValue<string>(),
            "RequestData" or "RemoteDependencyData" or "EventData" => baseData["name"]?.GetValue<string>(),
            _ => null,
        };
        var message = baseType switch
        {
            "MessageData" => baseData["message"]?.GetValue<string>(),
            "ExceptionData" => baseData["exceptions"]?[0]?["message"]?.GetValue<string>(),
            _ => null,
        };
        var dimensions = (baseData["properties"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
        return new CapturedEnvelope(baseType, TableOf.GetValueOrDefault(baseType, baseType), name, message, dimensions, envelope);
    }

    public override string ToString() =>
        $"{Table} {Name ?? Message} {{{string.Join(", ", Dimensions.Select(d => $"{d.Key}={d.Value}"))}}}";
}
