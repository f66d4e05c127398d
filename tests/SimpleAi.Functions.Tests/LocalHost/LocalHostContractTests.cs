using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SimpleAi.LocalHost;
using SimpleAi.LocalHost.Invocation;
using SimpleAi.LocalHost.Metadata;

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

    /// <summary>
    /// The calls Program.cs may make, each one the local host makes too or emulates; everything else the app needs goes
    /// through <see cref="FunctionsApp.Configure"/>, which both call.
    /// </summary>
    private static readonly Dictionary<string, string> SharedOrEmulated = new(StringComparer.Ordinal)
    {
        ["startUp.Run"] = "the local host's Program.cs runs under the same StartupGuard",
        ["FunctionsApplication.CreateBuilder"] = "the local host builds its own container",
        ["builder.ConfigureFunctionsWebApplication"] = "HttpFunctionServer serves the HTTP functions as the ASP.NET Core integration does",
        ["builder.Configuration.AddSimpleAiWorkflowFile"] = "the local host reads workflow.json from src/SimpleAi.Functions",
        ["FunctionsApp.Configure"] = "shared",
        ["builder.Build"] = "the local host builds its own container",
        ["builder.Build().Run"] = "the local host runs its own listeners",
    };

    /// <summary>The calls of <paramref name="program"/> (a Program.cs) outside <see cref="SharedOrEmulated"/>.</summary>
    private static IReadOnlyList<string> UnsharedCalls(string program) => [.. CSharpSyntaxTree.ParseText(program).GetRoot()
        .DescendantNodes().OfType<InvocationExpressionSyntax>()
        .Select(call => call.Expression.ToString())
        .Where(call => !SharedOrEmulated.ContainsKey(call))];

    [Fact]
    public void ProgramCs_ConfiguresTheAppOnlyThroughWhatTheLocalHostRunsToo()
    {
        var program = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "SimpleAi.Functions", "Program.cs"));

        var unshared = UnsharedCalls(program);

        Assert.True(unshared.Count == 0,
            $"src/SimpleAi.Functions/Program.cs calls {string.Join(", ", unshared)}: the local host does not run Program.cs, so that would be "
            + "missing under npm start and the tests. Add it to FunctionsApp.Configure (src/SimpleAi.Functions/FunctionsApp.cs), which both call.");
        Assert.Contains("FunctionsApp.Configure(builder, builder.Configuration)", program, StringComparison.Ordinal);
    }

    [Fact]
    public void MiddlewareOrServiceAddedInProgramCsAlone_IsNamed()
    {
        var unshared = UnsharedCalls("""
            var builder = FunctionsApplication.CreateBuilder(args);
            builder.ConfigureFunctionsWebApplication();
            builder.UseMiddleware<AuditMiddleware>();
            builder.Services.AddSingleton<Clock>();
            FunctionsApp.Configure(builder, builder.Configuration);
            builder.Build().Run();
            """);

        Assert.Equal(["builder.UseMiddleware<AuditMiddleware>", "builder.Services.AddSingleton<Clock>"], unshared);
    }

    /// <summary>An httpTrigger without a route is served under the function's name, as the ASP.NET Core integration maps it.</summary>
    [Fact]
    public void HttpTriggerWithoutRoute_IsServedUnderTheFunctionsName()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("localhost-metadata-").FullName, "functions.metadata");
        File.WriteAllText(path, """
            [ { "name": "PreCallLookup", "entryPoint": "SimpleAi.Functions.HttpFunctions.PreCallLookup",
                "bindings": [ { "name": "request", "type": "httpTrigger", "direction": "In", "authLevel": "Anonymous", "methods": [ "post" ] } ] } ]
            """);

        var function = Assert.Single(FunctionMetadataReader.Read(path, typeof(HttpFunctions).Assembly));

        Assert.Equal("PreCallLookup", Assert.IsType<HttpTriggerBinding>(function.Trigger).Route);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Theory]
    [InlineData(typeof(RecordingProbe))]
    [InlineData(typeof(FailingProbe))]
    [InlineData(typeof(TimerProbe))]
    public void ProbeFunctions_AreServed(Type type) => Assert.Empty(LocalHostSupport.Problems(type.GetMethod("Run")!));
}
