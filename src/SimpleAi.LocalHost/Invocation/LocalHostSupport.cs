using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace SimpleAi.LocalHost.Invocation;

/// <summary>
/// What the local host can serve, in one place: the parameters <see cref="FunctionInvoker"/> binds (it binds from these
/// lists and nothing else), what HTTP functions may return, and what it refuses (other triggers, input and output
/// bindings, retry policies). The host refuses at start a function with a <see cref="Problems"/>; LocalHostContractTests
/// hold every <c>[Function]</c> method of the app to the same check, so a function the host cannot serve fails a test
/// rather than a local run.
/// </summary>
public static class LocalHostSupport
{
    /// <summary>The trigger parameter types of each trigger kind, with how an invocation's trigger value becomes each.</summary>
    private static readonly IReadOnlyList<TriggerParameter> TriggerParameters =
    [
        new(typeof(QueueTriggerBinding), typeof(string), trigger => ((QueueMessage)trigger).MessageText),
        new(typeof(QueueTriggerBinding), typeof(BinaryData), trigger => ((QueueMessage)trigger).Body),
        new(typeof(QueueTriggerBinding), typeof(byte[]), trigger => ((QueueMessage)trigger).Body.ToArray()),
        new(typeof(QueueTriggerBinding), typeof(QueueMessage), trigger => trigger),
        new(typeof(HttpTriggerBinding), typeof(HttpRequest), trigger => trigger),
        new(typeof(TimerTriggerBinding), typeof(TimerInfo), trigger => trigger),
    ];

    /// <summary>The parameters bound whatever the trigger.</summary>
    private static readonly IReadOnlyList<Type> ContextParameterTypes = [typeof(FunctionContext), typeof(CancellationToken)];

    /// <summary>What an HTTP function may return (directly, or in a Task or ValueTask): the ASP.NET Core integration executes it on the response.</summary>
    private static readonly IReadOnlyList<Type> HttpResultTypes = [typeof(IActionResult), typeof(IResult)];

    /// <summary>
    /// Every reason the local host cannot serve <paramref name="method"/>, a <c>[Function]</c> method, each a sentence that
    /// names the parameter or attribute; empty when it can.
    /// </summary>
    public static IReadOnlyList<string> Problems(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
        {
            return [$"{method.DeclaringType?.FullName}.{method.Name} has no [Function] attribute."];
        }

        var problems = new List<string>();
        var parameters = method.GetParameters();
        foreach (var parameter in parameters)
        {
            foreach (var binding in parameter.GetCustomAttributes<BindingAttribute>(inherit: false))
            {
                if (binding is not (QueueTriggerAttribute or HttpTriggerAttribute or TimerTriggerAttribute))
                {
                    problems.Add($"parameter '{parameter.Name}': [{Named(binding)}] is not served by the local host (it runs queue, HTTP and timer triggers, without other bindings).");
                }
            }
        }

        foreach (var output in OutputBindings(method))
        {
            problems.Add($"{output}: output bindings are not written by the local host.");
        }

        if (method.GetCustomAttribute<RetryAttribute>() is { } retry)
        {
            problems.Add($"[{Named(retry)}]: retry policies are not run by the local host (its RetryContext is null; a queue message is retried by its dequeue count).");
        }

        var triggers = parameters.Select(p => FunctionMetadataReader.TriggerOf(p, function.Name)).OfType<FunctionTrigger>().ToList();
        if (triggers.Count != 1)
        {
            problems.Add(triggers.Count == 0 ? "no parameter has a queue, HTTP or timer trigger attribute." : "more than one parameter has a trigger attribute.");
            return problems;
        }

        var trigger = triggers[0];
        problems.AddRange(parameters.Where(p => BinderFor(trigger, p) is null).Select(p =>
            $"parameter '{p.Name}' of type {p.ParameterType} is not supported by the local host (supported: {Supported(trigger)})."));
        if (trigger is HttpTriggerBinding && !HttpResultTypes.Any(t => t.IsAssignableFrom(ResultType(method))))
        {
            problems.Add($"an HTTP function must return {string.Join(" or ", HttpResultTypes.Select(t => t.Name))} (or a task of one), not {method.ReturnType}.");
        }

        return problems;
    }

    /// <summary>How <paramref name="parameter"/> gets its value from an invocation of a function with <paramref name="trigger"/>; null when the host cannot bind it.</summary>
    internal static Func<Invocation, FunctionContext, object?>? BinderFor(FunctionTrigger trigger, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type == typeof(FunctionContext))
        {
            return (_, context) => context;
        }

        if (type == typeof(CancellationToken))
        {
            return (invocation, _) => invocation.CancellationToken;
        }

        if (parameter.Name == trigger.ParameterName)
        {
            return TriggerParameters.FirstOrDefault(t => t.Trigger == trigger.GetType() && t.ParameterType == type) is { } binding
                ? (invocation, _) => binding.Bind(invocation.Trigger)
                : null;
        }

        // The worker binds a parameter without a binding from the binding data entry of its name (azure-functions-dotnet-worker
        // src/DotNetWorker.Core/Context/Features/DefaultFunctionInputBindingFeature.cs); an HTTP trigger's holds its route values.
        if (trigger is HttpTriggerBinding http && type == typeof(string)
            && (http.Route.Contains('{' + parameter.Name!, StringComparison.OrdinalIgnoreCase)
                || http.Route.Contains("{*" + parameter.Name, StringComparison.OrdinalIgnoreCase)))
        {
            var name = parameter.Name!;
            return (invocation, _) => invocation.BindingData.TryGetValue(name, out var value) ? value?.ToString() : null;
        }

        return null;
    }

    private static string Supported(FunctionTrigger trigger)
    {
        var triggerTypes = TriggerParameters.Where(t => t.Trigger == trigger.GetType()).Select(t => t.ParameterType.Name);
        var routeValues = trigger is HttpTriggerBinding ? ", string route values" : string.Empty;
        return $"the trigger as {string.Join(", ", triggerTypes)}; {string.Join(", ", ContextParameterTypes.Select(t => t.Name))}{routeValues}";
    }

    /// <summary>The output bindings of <paramref name="method"/>: on its return value, or on properties of the type it returns (multi-output).</summary>
    private static IEnumerable<string> OutputBindings(MethodInfo method)
    {
        // The worker takes an output binding of the return value from the method's attributes (or the return's).
        foreach (var output in method.GetCustomAttributes<OutputBindingAttribute>(inherit: false).Concat(method.ReturnParameter.GetCustomAttributes<OutputBindingAttribute>(inherit: false)))
        {
            yield return $"its return value's [{Named(output)}]";
        }

        var returned = ResultType(method);
        foreach (var property in returned.GetProperties())
        {
            foreach (var output in property.GetCustomAttributes<BindingAttribute>(inherit: false))
            {
                yield return $"{returned.Name}.{property.Name}'s [{Named(output)}]";
            }
        }
    }

    /// <summary>What <paramref name="method"/> returns, out of its Task or ValueTask.</summary>
    private static Type ResultType(MethodInfo method)
    {
        var type = method.ReturnType;
        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;
    }

    private static string Named(Attribute attribute)
    {
        var name = attribute.GetType().Name;
        return name.EndsWith(nameof(Attribute), StringComparison.Ordinal) ? name[..^nameof(Attribute).Length] : name;
    }

    private sealed record TriggerParameter(Type Trigger, Type ParameterType, Func<object, object?> Bind);
}
