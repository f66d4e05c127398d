using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace SimpleAi.LocalHost.Invocation;

/// <summary>
/// The binding data a WebJobs trigger produced (<c>Binder.BindingData</c>, which the Functions host reads in
/// azure-functions-host src/WebJobs.Script/Description/Workers/WorkerFunctionInvoker.cs), as the isolated worker receives
/// it: the host drops null values and its in-memory <c>sys</c> entry and converts the rest for gRPC
/// (src/WebJobs.Script.Grpc/Extensions/ScriptInvocationContextExtensions.cs ShouldSkipBindingData,
/// src/WebJobs.Script.Grpc/MessageExtensions/GrpcMessageConversionExtensions.cs ToRpc), and the worker reads that back
/// (azure-functions-dotnet-worker src/DotNetWorker.Grpc/Features/GrpcFunctionBindingsFeature.cs): strings stay strings,
/// byte arrays become memory, anything else is its JSON text as Newtonsoft writes it (a queue message's DequeueCount
/// <c>1</c>, its InsertionTime <c>"2026-12-07T12:00:00+00:00"</c> with the quotes).
/// </summary>
internal static class WorkerBindingData
{
    public static IReadOnlyDictionary<string, object?> From(IReadOnlyDictionary<string, object> bindingData) => bindingData
        .Where(pair => pair.Value is not null && !(pair.Key.Equals("sys", StringComparison.OrdinalIgnoreCase) && pair.Value.GetType().Name == "SystemBindingData"))
        .ToDictionary(pair => pair.Key, pair => Convert(pair.Value), StringComparer.OrdinalIgnoreCase);

    private static object? Convert(object value) => value switch
    {
        string text => text,
        byte[] bytes => new ReadOnlyMemory<byte>(bytes),
        JObject json => json.ToString(Formatting.None),
        _ => JsonConvert.SerializeObject(value, Formatting.None),
    };
}
