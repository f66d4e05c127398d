using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace SimpleAi.LocalHost.Invocation;

/// <summary>
/// Calls one function's method the way the isolated worker does: inside the app's worker middleware
/// (<see cref="LocalWorkerBuilder"/>), a new instance of its class from the app's container
/// (<see cref="ActivatorUtilities"/>, in a DI scope per invocation), its parameters bound from the trigger (a queue
/// message's text, the <see cref="HttpRequest"/> and route values, a <see cref="TimerInfo"/>), the
/// <see cref="FunctionContext"/> and the <see cref="CancellationToken"/>, as <see cref="LocalHostSupport"/> lists them.
/// Parameters are checked when the host starts.
/// </summary>
internal sealed class FunctionInvoker
{
    private readonly IServiceProvider _app;
    private readonly InvocationLog _log;
    private readonly Func<Invocation, FunctionContext, object?>[] _binders;
    private readonly FunctionExecutionDelegate _pipeline;

    private FunctionInvoker(LocalFunction function, IServiceProvider app, InvocationLog log, Func<Invocation, FunctionContext, object?>[] binders, LocalWorkerBuilder worker)
    {
        Function = function;
        _app = app;
        _log = log;
        _binders = binders;
        _pipeline = worker.Build(ExecuteAsync);
    }

    public LocalFunction Function { get; }

    /// <summary>Refuses, naming every problem, a function the host cannot serve (<see cref="LocalHostSupport.Problems"/>).</summary>
    public static FunctionInvoker Create(LocalFunction function, IServiceProvider app, InvocationLog log, LocalWorkerBuilder worker)
    {
        if (LocalHostSupport.Problems(function.Method) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"Function {function}: {string.Join(" ", problems)}");
        }

        return new FunctionInvoker(function, app, log, [.. function.Method.GetParameters().Select(p => LocalHostSupport.BinderFor(function.Trigger, p)!)], worker);
    }

    /// <summary>Runs the function once, inside the app's worker middleware; returns what it returned (awaited). A failure is recorded and rethrown.</summary>
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
            var context = LocalFunctionContext.For(Function, scope.ServiceProvider, invocation, activity);
            await _pipeline(context);
            return context.Result;
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

    /// <summary>The innermost step of the pipeline, the worker's FunctionExecutionMiddleware: a new instance from the invocation's services, the parameters bound, the method called.</summary>
    private async Task ExecuteAsync(FunctionContext functionContext)
    {
        var context = (LocalFunctionContext)functionContext;
        var invocation = context.Invocation!;
        var instance = Function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.InstanceServices, Function.Method.DeclaringType!);
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

        context.Result = await AwaitAsync(returned);
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
}

/// <summary>What one invocation brings to a function's parameters: the trigger's value and binding data (an HTTP trigger's holds its route values), and the caller's trace context.</summary>
internal sealed record Invocation(
    object Trigger,
    IReadOnlyDictionary<string, object?> BindingData,
    HandledMessage? Handling,
    string? TraceParent,
    string? TraceState,
    CancellationToken CancellationToken);
