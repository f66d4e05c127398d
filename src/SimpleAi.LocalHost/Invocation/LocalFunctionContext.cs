using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace SimpleAi.LocalHost.Invocation;

/// <summary>
/// The <see cref="FunctionContext"/> the isolated worker gives a function, filled the way the host fills it: the
/// invocation id, the trigger's binding data (what the WebJobs trigger bound, as the worker receives it:
/// <see cref="WorkerBindingData"/>), the trace context, the invocation's services (its DI scope) and its cancellation token.
/// </summary>
public sealed class LocalFunctionContext : FunctionContext
{
    private readonly LocalTraceContext _trace;
    private readonly LocalBindingContext _binding;
    private readonly LocalFunctionDefinition _definition;
    private readonly CancellationToken _cancellationToken;

    public LocalFunctionContext(
        string functionName,
        string entryPoint,
        IServiceProvider instanceServices,
        IReadOnlyDictionary<string, object?> bindingData,
        string? traceParent,
        string? traceState,
        CancellationToken cancellationToken)
        : this(functionName, entryPoint, null, instanceServices, bindingData, traceParent, traceState, cancellationToken)
    {
    }

    private LocalFunctionContext(
        string functionName,
        string entryPoint,
        FunctionTrigger? trigger,
        IServiceProvider instanceServices,
        IReadOnlyDictionary<string, object?> bindingData,
        string? traceParent,
        string? traceState,
        CancellationToken cancellationToken)
    {
        InvocationId = Guid.NewGuid().ToString();
        InstanceServices = instanceServices;
        _binding = new LocalBindingContext(bindingData);
        _trace = new LocalTraceContext(traceParent ?? string.Empty, traceState ?? string.Empty);
        _definition = new LocalFunctionDefinition(functionName, entryPoint, trigger);
        _cancellationToken = cancellationToken;
    }

    public override string InvocationId { get; }

    public override string FunctionId => _definition.Id;

    public override TraceContext TraceContext => _trace;

    public override BindingContext BindingContext => _binding;

    /// <summary>Null, as in the worker when no retry policy is configured (queue triggers retry through the queue).</summary>
    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition => _definition;

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features { get; } = new LocalInvocationFeatures();

    public override CancellationToken CancellationToken => _cancellationToken;

    /// <summary>The invocation the context is for (what the function's parameters are bound from).</summary>
    internal Invocation? Invocation { get; private init; }

    /// <summary>What the function returned (awaited), once it ran.</summary>
    internal object? Result { get; set; }

    /// <summary>
    /// A context for <paramref name="invocation"/> of <paramref name="function"/>. An HTTP invocation's HttpContext is in
    /// <see cref="FunctionContext.Items"/> where the ASP.NET Core integration puts it (its FunctionsHttpProxyingMiddleware),
    /// so <c>GetHttpContext()</c> finds it.
    /// </summary>
    internal static LocalFunctionContext For(LocalFunction function, IServiceProvider services, Invocation invocation, System.Diagnostics.Activity activity)
    {
        var context = new LocalFunctionContext(
            function.Name, function.EntryPoint, function.Trigger, services, invocation.BindingData, activity.Id, activity.TraceStateString, invocation.CancellationToken)
        {
            Invocation = invocation,
        };
        if (invocation.Trigger is Microsoft.AspNetCore.Http.HttpRequest request)
        {
            context.Items[HttpContextKey] = request.HttpContext;
        }

        return context;
    }

    /// <summary>The <see cref="FunctionContext.Items"/> key of an HTTP invocation's HttpContext (the integration's <c>Constants.HttpContextKey</c>).</summary>
    private const string HttpContextKey = "HttpRequestContext";

    private sealed class LocalBindingContext(IReadOnlyDictionary<string, object?> data) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = data;
    }

    private sealed class LocalTraceContext(string traceParent, string traceState) : TraceContext
    {
        public override string TraceParent { get; } = traceParent;

        public override string TraceState { get; } = traceState;
    }

    /// <summary>The <see cref="FunctionDefinition.InputBindings"/> of the function: its trigger, typed as in functions.metadata.</summary>
    private sealed class LocalFunctionDefinition(string name, string entryPoint, FunctionTrigger? trigger) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => string.Empty;

        public override string EntryPoint { get; } = entryPoint;

        public override string Id { get; } = name;

        public override string Name { get; } = name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; } = trigger is null
            ? ImmutableDictionary<string, BindingMetadata>.Empty
            : ImmutableDictionary<string, BindingMetadata>.Empty.Add(trigger.ParameterName, new TriggerMetadata(trigger));

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class TriggerMetadata(FunctionTrigger trigger) : BindingMetadata
    {
        public override string Name => trigger.ParameterName;

        public override string Type => trigger switch
        {
            QueueTriggerBinding => "queueTrigger",
            HttpTriggerBinding => "httpTrigger",
            TimerTriggerBinding => "timerTrigger",
            _ => trigger.GetType().Name,
        };

        public override BindingDirection Direction => BindingDirection.In;
    }

    private sealed class LocalInvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];

        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public void Set<T>(T instance)
        {
            if (instance is null)
            {
                _features.Remove(typeof(T));
            }
            else
            {
                _features[typeof(T)] = instance;
            }
        }

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
