using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;

namespace SimpleAi.LocalHost.Metadata;

/// <summary>
/// Reads the functions of an app: from the <c>functions.metadata</c> file the worker SDK writes next to the app's
/// assembly at build time (what the Functions host reads to index an isolated-worker app), and from the
/// <c>[Function]</c> and trigger attributes of extra classes (test-only functions), the way the SDK derives that file.
/// </summary>
public static class FunctionMetadataReader
{
    public const string FileName = "functions.metadata";

    /// <summary>The functions listed in <paramref name="path"/>, their entry points resolved in <paramref name="assembly"/>.</summary>
    public static IReadOnlyList<LocalFunction> Read(string path, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No {FileName} at {path}: build the Functions app first (the worker SDK writes it next to {assembly.GetName().Name}.dll).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var functions = new List<LocalFunction>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var name = entry.GetProperty("name").GetString()!;
            var entryPoint = entry.GetProperty("entryPoint").GetString()!;
            var trigger = entry.GetProperty("bindings").EnumerateArray()
                .Select(binding => ReadTrigger(binding, name))
                .SingleOrDefault(t => t is not null)
                ?? throw new InvalidOperationException($"Function '{name}' in {path} has no trigger this host runs (queueTrigger, httpTrigger, timerTrigger).");
            functions.Add(new LocalFunction(name, entryPoint, ResolveMethod(assembly, name, entryPoint), trigger));
        }

        return functions;
    }

    /// <summary>The functions that the public methods of <paramref name="type"/> declare with <c>[Function]</c> and a trigger attribute.</summary>
    public static IReadOnlyList<LocalFunction> FromAttributes(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var functions = new List<LocalFunction>();
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
            {
                continue;
            }

            var trigger = method.GetParameters().Select(p => TriggerOf(p, function.Name)).SingleOrDefault(t => t is not null)
                ?? throw new InvalidOperationException($"Function '{function.Name}' ({type.FullName}.{method.Name}) has no parameter with a queue, HTTP or timer trigger attribute.");
            functions.Add(new LocalFunction(function.Name, $"{type.FullName}.{method.Name}", method, trigger));
        }

        if (functions.Count == 0)
        {
            throw new InvalidOperationException($"{type.FullName} has no public method with a [Function] attribute.");
        }

        return functions;
    }

    /// <summary>The trigger <paramref name="parameter"/> carries, as functions.metadata would describe it; null when none this host runs.</summary>
    internal static FunctionTrigger? TriggerOf(ParameterInfo parameter, string functionName)
    {
        var name = parameter.Name!;
        foreach (var attribute in parameter.GetCustomAttributes(inherit: false))
        {
            switch (attribute)
            {
                case QueueTriggerAttribute queue:
                    return new QueueTriggerBinding(name, queue.QueueName, queue.Connection ?? "AzureWebJobsStorage");
                case HttpTriggerAttribute http:
                    return new HttpTriggerBinding(name, http.Route ?? functionName, http.Methods ?? [], http.AuthLevel.ToString());
                case TimerTriggerAttribute timer:
                    return new TimerTriggerBinding(name, timer.Schedule, timer.RunOnStartup, timer.UseMonitor);
            }
        }

        return null;
    }

    private static FunctionTrigger? ReadTrigger(JsonElement binding, string functionName)
    {
        var name = binding.GetProperty("name").GetString()!;
        return binding.GetProperty("type").GetString() switch
        {
            "queueTrigger" => new QueueTriggerBinding(
                name,
                binding.GetProperty("queueName").GetString()!,
                binding.TryGetProperty("connection", out var connection) ? connection.GetString()! : "AzureWebJobsStorage"),
            "httpTrigger" => new HttpTriggerBinding(
                name,
                // No route: the function's name, as the ASP.NET Core integration maps it (FunctionsEndpointDataSource).
                binding.TryGetProperty("route", out var route) && route.GetString() is { } path ? path : functionName,
                binding.TryGetProperty("methods", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()!).ToList() : [],
                binding.TryGetProperty("authLevel", out var level) ? level.GetString()! : "Function"),
            "timerTrigger" => new TimerTriggerBinding(
                name,
                binding.GetProperty("schedule").GetString()!,
                binding.TryGetProperty("runOnStartup", out var startup) && startup.GetBoolean(),
                !binding.TryGetProperty("useMonitor", out var monitor) || monitor.GetBoolean()),
            _ => null,
        };
    }

    private static MethodInfo ResolveMethod(Assembly assembly, string name, string entryPoint)
    {
        var dot = entryPoint.LastIndexOf('.');
        var type = dot > 0 ? assembly.GetType(entryPoint[..dot]) : null;
        var methods = type?.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name == entryPoint[(dot + 1)..] && m.GetCustomAttribute<FunctionAttribute>()?.Name == name)
            .ToList() ?? [];
        return methods.Count == 1
            ? methods[0]
            : throw new InvalidOperationException(
                $"Function '{name}': its entry point {entryPoint} is not one [Function(\"{name}\")] method in {assembly.GetName().Name}; is {FileName} from an older build?");
    }
}
