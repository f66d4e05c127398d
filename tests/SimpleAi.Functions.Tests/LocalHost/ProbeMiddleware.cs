using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>What the probe middleware saw, in order: which middleware, before or after the function, and what the context held.</summary>
public sealed class MiddlewareLog
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public async Task AroundAsync(string middleware, FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var trigger = context.FunctionDefinition.InputBindings.Values.Single().Type;
        var http = context.GetHttpContext() is null ? string.Empty : " with HttpContext";
        Entries.Enqueue($"{middleware} before {context.FunctionDefinition.Name} ({trigger}{http})");
        try
        {
            await next(context);
            Entries.Enqueue($"{middleware} after {context.FunctionDefinition.Name}");
        }
        catch (InvalidOperationException e)
        {
            Entries.Enqueue($"{middleware} saw {e.GetType().Name} from {context.FunctionDefinition.Name}");
            throw;
        }
    }
}

public sealed class OuterMiddleware(MiddlewareLog log) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next) => log.AroundAsync("outer", context, next);
}

public sealed class InnerMiddleware(MiddlewareLog log) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next) => log.AroundAsync("inner", context, next);
}
