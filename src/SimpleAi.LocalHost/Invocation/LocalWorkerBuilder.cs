using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace SimpleAi.LocalHost.Invocation;

/// <summary>
/// The worker's application builder as the local host gives it to the app (<c>FunctionsApp.Configure</c>): services go
/// to the app's container, and middleware (<see cref="Use"/>, which the worker's <c>UseMiddleware&lt;T&gt;</c> and
/// <c>UseWhen</c> call) to a pipeline around each invocation, composed as the worker composes its own (azure-functions-dotnet-worker
/// src/DotNetWorker.Core/Pipeline/DefaultInvocationPipelineBuilder.cs: the first added runs outermost; the function's
/// execution, which the worker appends at <c>Build</c>, innermost).
/// </summary>
internal sealed class LocalWorkerBuilder(IServiceCollection services) : IFunctionsWorkerApplicationBuilder
{
    private readonly List<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>> _middleware = [];

    public IServiceCollection Services { get; } = services;

    public IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        _middleware.Add(middleware);
        return this;
    }

    /// <summary>The middleware added so far around <paramref name="execute"/>, the function's own execution.</summary>
    public FunctionExecutionDelegate Build(FunctionExecutionDelegate execute) =>
        Enumerable.Reverse(_middleware).Aggregate(execute, (next, middleware) => middleware(next));
}
