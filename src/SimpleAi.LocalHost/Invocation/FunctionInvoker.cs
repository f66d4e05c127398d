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
/// <see cref="FunctionContext"/> and the <see cref="CancellationToken"/>, as <see cref="LocalHostSupport"/> lists them.
/// Parameters are checked when the host starts.
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

    /// <summary>Refuses, naming every problem, a function the host cannot serve (<see cref="LocalHostSupport.Problems"/>).</summary>
    public static FunctionInvoker Create(LocalFunction function, IServiceProvider app, InvocationLog log)
    {
        if (LocalHostSupport.Problems(function.Method) is { Count: > 0 } problems)
        {
            throw new InvalidOperationException($"Function {function}: {string.Join(" ", problems)}");
        }

        return new FunctionInvoker(function, app, log, [.. function.Method.GetParameters().Select(p => LocalHostSupport.BinderFor(function.Trigger, p)!)]);
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
