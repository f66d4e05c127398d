using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace SimpleAi.LocalHost.Invocation;

/// <summary>
/// Calls one function's method the way the isolated worker does: a new instance of its class from the app's container
/// (<see cref="ActivatorUtilities"/>, in a DI scope per invocation), its parameters bound from the trigger (a queue
/// message's text, the <see cref="HttpRequest"/> and route values, a <see cref="TimerInfo"/>), the
/// <see cref="FunctionContext"/> and the <see cref="CancellationToken"/>. Parameters are checked when the host starts.
/// </summary>
internal sealed class FunctionInvoker
{
    private readonly IServiceProvider _app;
    private readonly InvocationLog _log;
    private readonly Func<Invocation, FunctionContext, object?>[] _binders;

    private FunctionInvoker(LocalFunction function, IServiceProvider app, InvocationLog log, Func<Invocation, FunctionContext, object?>[] binders)
    {
        Function = function;
        _app = app;
        _log = log;
        _binders = binders;
    }

    public LocalFunction Function { get; }

    /// <summary>Checks every parameter of the function's method; throws naming the first one this host cannot bind.</summary>
    public static FunctionInvoker Create(LocalFunction function, IServiceProvider app, InvocationLog log)
    {
        var binders = function.Method.GetParameters().Select(p => BinderFor(function, p)).ToArray();
        if (function.Trigger is HttpTriggerBinding && ActionResultType(function.Method) is null)
        {
            throw new InvalidOperationException(
                $"Function {function}: an HTTP function must return IActionResult or Task<IActionResult>, not {function.Method.ReturnType}.");
        }

        return new FunctionInvoker(function, app, log, binders);
    }

    /// <summary>Runs the function once; returns what it returned (awaited). A failure is recorded and rethrown.</summary>
    public async Task<object?> InvokeAsync(Invocation invocation)
    {
        _log.Started();
        using var activity = new Activity($"Invoke {Function.Name}");
        if (invocation.TraceParent is { Length: > 0 } parent && Activity.Current is null)
        {
            activity.SetParentId(parent);
            activity.TraceStateString = invocation.TraceState;
        }

        activity.Start();
        try
        {
            HandledMessage.Current = invocation.Handling;
            await using var scope = _app.CreateAsyncScope();
            var context = LocalFunctionContext.For(Function, scope.ServiceProvider, invocation.BindingData, activity, invocation.CancellationToken);
            var instance = Function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, Function.Method.DeclaringType!);
            var arguments = _binders.Select(bind => bind(invocation, context)).ToArray();
            object? returned;
            try
            {
                returned = Function.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            return await AwaitAsync(returned);
        }
        catch (Exception e)
        {
            _log.Failed(new InvocationFailure(Function.Name, invocation.Handling?.Queue, invocation.Handling?.DequeueCount ?? 0, e));
            throw;
        }
        finally
        {
            _log.Ended();
        }
    }

    /// <summary>The <c>IActionResult</c> type an HTTP function returns (directly or in a task), or null.</summary>
    private static Type? ActionResultType(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        return typeof(Microsoft.AspNetCore.Mvc.IActionResult).IsAssignableFrom(type) ? type : null;
    }

    private static async Task<object?> AwaitAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                // The runtime type of an async method's task is a subclass of Task<T>: read Result from Task<T> itself.
                for (var taskType = task.GetType(); taskType is not null; taskType = taskType.BaseType)
                {
                    if (taskType.IsGenericType && taskType.GetGenericTypeDefinition() == typeof(Task<>))
                    {
                        return taskType.GetProperty(nameof(Task<object>.Result))!.GetValue(task);
                    }
                }

                return null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            case not null when returned.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)type.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
                return await AwaitAsync(asTask);
            default:
                return returned;
        }
    }

    private static Func<Invocation, FunctionContext, object?> BinderFor(LocalFunction function, ParameterInfo parameter)
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

        if (parameter.Name == function.Trigger.ParameterName)
        {
            return TriggerBinder(function, parameter);
        }

        if (function.Trigger is HttpTriggerBinding http && type == typeof(string)
            && (http.Route.Contains('{' + parameter.Name!, StringComparison.OrdinalIgnoreCase)
                || http.Route.Contains("{*" + parameter.Name, StringComparison.OrdinalIgnoreCase)))
        {
            var name = parameter.Name!;
            return (invocation, _) => invocation.RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;
        }

        throw Unsupported(function, parameter, "FunctionContext, CancellationToken, the trigger, and for HTTP string route values");
    }

    private static Func<Invocation, FunctionContext, object?> TriggerBinder(LocalFunction function, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        switch (function.Trigger)
        {
            case QueueTriggerBinding when type == typeof(string):
                return (invocation, _) => ((QueueMessage)invocation.Trigger).MessageText;
            case QueueTriggerBinding when type == typeof(BinaryData):
                return (invocation, _) => ((QueueMessage)invocation.Trigger).Body;
            case QueueTriggerBinding when type == typeof(byte[]):
                return (invocation, _) => ((QueueMessage)invocation.Trigger).Body.ToArray();
            case QueueTriggerBinding:
                throw Unsupported(function, parameter, "string, BinaryData or byte[] for a queue trigger");
            case HttpTriggerBinding when type == typeof(HttpRequest):
                return (invocation, _) => (HttpRequest)invocation.Trigger;
            case HttpTriggerBinding:
                throw Unsupported(function, parameter, "HttpRequest for an HTTP trigger");
            case TimerTriggerBinding when type == typeof(TimerInfo):
                return (invocation, _) => invocation.Trigger;
            case TimerTriggerBinding:
                throw Unsupported(function, parameter, "Microsoft.Azure.Functions.Worker.TimerInfo for a timer trigger");
            default:
                throw Unsupported(function, parameter, "a queue, HTTP or timer trigger");
        }
    }

    private static InvalidOperationException Unsupported(LocalFunction function, ParameterInfo parameter, string supported) =>
        new($"Function {function}: parameter '{parameter.Name}' of type {parameter.ParameterType} is not supported by the local host (supported: {supported}).");
}

/// <summary>What one invocation brings to a function's parameters: the trigger's value and binding data, route values (HTTP), and the caller's trace context.</summary>
internal sealed record Invocation(
    object Trigger,
    IReadOnlyDictionary<string, object?> BindingData,
    IReadOnlyDictionary<string, object?> RouteValues,
    HandledMessage? Handling,
    string? TraceParent,
    string? TraceState,
    CancellationToken CancellationToken);
