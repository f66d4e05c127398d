using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using SimpleAi.LocalHost;

namespace SimpleAi.Functions.Tests.LocalHost;

/// <summary>
/// The app is held to what the local host can serve (<see cref="LocalHostSupport"/>, the lists its invoker binds from):
/// a function with a trigger, binding, parameter type or retry policy the local host does not run fails here, naming
/// it, instead of failing <c>npm start</c> or, worse, running differently there than under the Functions host.
/// </summary>
public sealed class LocalHostContractTests
{
    private static IReadOnlyList<MethodInfo> AppFunctions() => [.. typeof(HttpFunctions).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)];

    [Fact]
    public void EveryFunctionOfTheApp_IsOneTheLocalHostServes()
    {
        var functions = AppFunctions();

        var problems = functions.SelectMany(m => LocalHostSupport.Problems(m).Select(p => $"{m.DeclaringType!.Name}.{m.Name}: {p}")).ToList();

        Assert.True(functions.Count >= 10, $"only {functions.Count} [Function] methods found in the app");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The methods checked above are the functions the host indexes: none is missed by either.</summary>
    [Fact]
    public void FunctionsMetadata_ListsEveryFunctionMethodOfTheApp()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var indexed = metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order(StringComparer.Ordinal);

        Assert.Equal(indexed, AppFunctions().Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(typeof(BlobInputFunction), "parameter 'call': [BlobInput] is not served by the local host")]
    [InlineData(typeof(BlobTriggerFunction), "parameter 'blob': [BlobTrigger] is not served by the local host")]
    [InlineData(typeof(BlobTriggerFunction), "no parameter has a queue, HTTP or timer trigger attribute.")]
    [InlineData(typeof(QueueOutputFunction), "its return value's [QueueOutput]: output bindings are not written by the local host.")]
    [InlineData(typeof(MultiOutputFunction), "MultiOutput.Next's [QueueOutput]: output bindings are not written by the local host.")]
    [InlineData(typeof(MultiOutputFunction), "an HTTP function must return IActionResult or IResult")]
    [InlineData(typeof(RetryPolicyFunction), "[FixedDelayRetry]: retry policies are not run by the local host")]
    [InlineData(typeof(PocoTriggerFunction), "parameter 'order' of type SimpleAi.Functions.Tests.LocalHost.PocoTriggerFunction+Order is not supported by the local host (supported: the trigger as String, BinaryData, Byte[], QueueMessage; FunctionContext, CancellationToken).")]
    [InlineData(typeof(TimerAsStringFunction), "parameter 'timer' of type System.String is not supported by the local host (supported: the trigger as TimerInfo; FunctionContext, CancellationToken).")]
    [InlineData(typeof(UnbindableProbe), "parameter 'log' of type Microsoft.Extensions.Logging.ILogger is not supported by the local host (supported: the trigger as String, BinaryData, Byte[], QueueMessage; FunctionContext, CancellationToken).")]
    public void FunctionTheLocalHostCannotServe_IsNamedWithWhatItCannotServe(Type type, string problem)
    {
        var function = type.GetMethod("Run")!;

        Assert.Contains(problem, string.Join(Environment.NewLine, LocalHostSupport.Problems(function)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(RecordingProbe))]
    [InlineData(typeof(FailingProbe))]
    [InlineData(typeof(TimerProbe))]
    public void ProbeFunctions_AreServed(Type type) => Assert.Empty(LocalHostSupport.Problems(type.GetMethod("Run")!));
}
