using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Json;
using Jint.Runtime;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions.Transformations;

/// <summary>
/// A JavaScript transformation in the model of Svix: <c>function handler(webhook) { … return webhook; }</c> gets
/// <c>{ method, url, headers, payload }</c> and returns it changed, or <c>{ cancel: true }</c> to skip the delivery.
/// The file is parsed once (<see cref="Load"/>); each delivery runs it in a fresh Jint engine (engines are not
/// thread-safe, and a fresh one leaves nothing of one delivery to the next) with no CLR access, no <c>eval</c>, a time
/// limit, a memory limit and a recursion limit. Anything a transformation does wrong fails the step for good
/// (<see cref="PermanentStepFailureException"/>) naming the file; the process is unharmed.
/// </summary>
public sealed class Transformation
{
    /// <summary>Longest a handler may run per delivery.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(1);

    /// <summary>Most bytes a handler may allocate per delivery (Jint counts the engine thread's allocations).</summary>
    public const long MemoryLimitBytes = 16 * 1024 * 1024;

    /// <summary>Deepest call stack a handler may build.</summary>
    public const int RecursionLimit = 256;

    public const string HandlerName = "handler";

    /// <summary>
    /// Calls the handler and stringifies what it returned in one engine entry, so the limits also cover what
    /// stringifying runs (getters, <c>toJSON</c>): Jint resets and enforces them per entry.
    /// </summary>
    private static readonly Prepared<Script> Runner = Engine.PrepareScript(
        "(function (handler, webhook) { const r = handler(webhook); return r !== null && typeof r === 'object' ? JSON.stringify(r) : undefined; })",
        "simpleai-transformation-runner");

    private readonly Prepared<Script> _script;
    private readonly TransformationLimits _limits;

    private Transformation(string name, Prepared<Script> script, TransformationLimits limits)
    {
        Name = name;
        _script = script;
        _limits = limits;
    }

    /// <summary>The file as configured (relative to workflow.json): what every message about it names.</summary>
    public string Name { get; }

    /// <summary>Parses <paramref name="path"/> and runs its top level once to check it defines <c>handler</c>.</summary>
    /// <param name="name">The file as the settings name it, for messages.</param>
    public static bool TryLoad(string path, string name, out Transformation? transformation, out string? problem) =>
        TryLoad(path, name, TransformationLimits.Default, out transformation, out problem);

    internal static bool TryLoad(string path, string name, TransformationLimits limits, out Transformation? transformation, out string? problem)
    {
        (transformation, problem) = (null, null);
        if (!File.Exists(path))
        {
            problem = $"transformation {name} does not exist (looked for {path})";
            return false;
        }

        try
        {
            var script = Engine.PrepareScript(File.ReadAllText(path), name);
            using var engine = NewEngine(limits, CancellationToken.None);
            engine.Execute(script);
            if (engine.GetValue(HandlerName) is not Function)
            {
                problem = $"transformation {name} defines no function {HandlerName}(webhook)";
                return false;
            }

            transformation = new Transformation(name, script, limits);
            return true;
        }
        catch (ScriptPreparationException e) when (e.InnerException is ParseErrorException parse)
        {
            problem = $"transformation {name} does not compile: {parse.Description} at line {parse.LineNumber}, column {parse.Column + 1}";
        }
        catch (Exception e) when (e is JintException or TimeoutException)
        {
            problem = $"transformation {name} fails at load: {Reason(e, limits)}";
        }

        return false;
    }

    /// <summary>As <see cref="TryLoad"/>, throwing the problem.</summary>
    public static Transformation Load(string path, string name) => Load(path, name, TransformationLimits.Default);

    internal static Transformation Load(string path, string name, TransformationLimits limits) =>
        TryLoad(path, name, limits, out var transformation, out var problem) ? transformation! : throw new ArgumentException(problem, nameof(path));

    /// <summary>Runs the handler on <paramref name="request"/>: the request to send, or null when it cancels the delivery.</summary>
    public OutboundRequest? Apply(OutboundRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var returned = Run(TransformationInput.Json(request), out var failure, cancellationToken);
        if (failure is not null)
        {
            throw Failure(failure, request.Url);
        }

        if (returned is null)
        {
            throw Failure("returned no object (return the webhook, changed, or { cancel: true })", request.Url);
        }

        var output = TransformationOutput.Read(returned, out var problem);
        return problem is null ? output : throw Failure(problem, request.Url);
    }

    /// <summary>
    /// Runs the handler on the JSON <paramref name="input"/> within the limits: what it returned as JSON text (null when
    /// it returned no object), or null with the <paramref name="failure"/> (a thrown error or a limit reached).
    /// </summary>
    internal string? Run(string input, out string? failure, CancellationToken cancellationToken)
    {
        failure = null;
        try
        {
            using var engine = NewEngine(_limits, cancellationToken);
            engine.Execute(_script);
            var argument = new JsonParser(engine).Parse(input);
            var result = engine.Invoke(engine.Evaluate(Runner), engine.GetValue(HandlerName), argument);
            return result.IsString() ? result.AsString() : null;
        }
        catch (ExecutionCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (e is JintException or TimeoutException)
        {
            failure = Reason(e, _limits);
            return null;
        }
    }

    private PermanentStepFailureException Failure(string reason, Uri url) =>
        // A handler may put webhook.url (a secret: Slack's URLs are) into its error: only the host is ever shown.
        new($"transformation {Name} {reason.Replace(url.ToString(), url.Host, StringComparison.Ordinal)}");

    private static string Reason(Exception error, TransformationLimits limits) => error switch
    {
        JavaScriptException js => $"threw at line {js.Location.Start.Line}, column {js.Location.Start.Column + 1}: {js.Message}",
        TimeoutException => $"ran longer than its limit of {limits.Time.TotalSeconds:0.#} s",
        MemoryLimitExceededException => $"allocated more than its limit of {limits.MemoryBytes / (1024 * 1024)} MB",
        RecursionDepthOverflowException => $"recursed deeper than its limit of {limits.Recursion} calls",
        _ => $"failed: {error.Message}",
    };

    private static Engine NewEngine(TransformationLimits limits, CancellationToken cancellationToken) => new(options => options
        .TimeoutInterval(limits.Time)
        .LimitMemory(limits.MemoryBytes)
        .LimitRecursion(limits.Recursion)
        .CancellationToken(cancellationToken)
        .DisableStringCompilation()
        .Culture(CultureInfo.InvariantCulture)
        .LocalTimeZone(TimeZoneInfo.Utc));
}

/// <summary>What a handler may use per delivery; <see cref="Default"/> in the app (tests widen one to reach another).</summary>
internal sealed record TransformationLimits(TimeSpan Time, long MemoryBytes, int Recursion)
{
    public static readonly TransformationLimits Default =
        new(Transformation.TimeLimit, Transformation.MemoryLimitBytes, Transformation.RecursionLimit);
}
