using System.Reflection;
using System.Runtime.Loader;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SimpleAi.Functions.Tests.ServiceBus;

/// <summary>
/// The app as <c>-p:QueueTransport=ServiceBus</c> builds it, compiled here with Roslyn although the Service Bus worker
/// extension cannot be restored: every source file of src/SimpleAi.Functions, the implicit usings of
/// Microsoft.NET.Sdk and the csproj's own <c>Using</c> items, the <c>Using</c> alias and the <c>DefineConstants</c> the
/// csproj gives that transport, against the app's own references without the Storage Queues extension, and with
/// <c>ServiceBusTriggerAttribute</c> declared as the extension declares it (Azure/azure-functions-dotnet-worker,
/// extensions/Worker.Extensions.ServiceBus/src/ServiceBusTriggerAttribute.cs: the same namespace, constructors and
/// settable properties).
/// </summary>
public static class ServiceBusBuild
{
    private const string TriggerAttribute = """
        namespace Microsoft.Azure.Functions.Worker
        {
            public sealed class ServiceBusTriggerAttribute : Microsoft.Azure.Functions.Worker.Extensions.Abstractions.TriggerBindingAttribute
            {
                public ServiceBusTriggerAttribute(string queueName) { QueueName = queueName; }
                public ServiceBusTriggerAttribute(string topicName, string subscriptionName) { TopicName = topicName; SubscriptionName = subscriptionName; }
                public string? Connection { get; set; }
                public string? QueueName { get; }
                public string? TopicName { get; }
                public string? SubscriptionName { get; }
                public bool IsSessionsEnabled { get; set; }
                public bool IsBatched { get; set; }
                public bool AutoCompleteMessages { get; set; }
            }
        }
        """;

    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly Lazy<Assembly> Compiled = new(Compile);

    /// <summary>Queue name → connection of every Service Bus trigger of the compiled app.</summary>
    public static IReadOnlyDictionary<string, string?> TriggerConnections() =>
        Triggers(Compiled.Value, "ServiceBusTriggerAttribute", "QueueName");

    /// <summary>Queue name → connection of every queue trigger of <paramref name="app"/> whose attribute has <paramref name="attributeName"/>.</summary>
    public static Dictionary<string, string?> Triggers(Assembly app, string attributeName, string queueProperty)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetParameters())
            .SelectMany(p => p.GetCustomAttributes(inherit: false))
            .Where(a => a.GetType().Name == attributeName)
            .ToDictionary(
                a => (string)a.GetType().GetProperty(queueProperty)!.GetValue(a)!,
                a => (string?)a.GetType().GetProperty("Connection")!.GetValue(a));
    }

    private static Assembly Compile()
    {
        var project = Path.Combine(RepoPaths.Root, "src", "SimpleAi.Functions");
        var csproj = XDocument.Load(Path.Combine(project, "SimpleAi.Functions.csproj"));
        var serviceBusGroups = csproj.Descendants()
            .Where(e => (string?)e.Attribute("Condition") is { } condition
                && condition.Replace(" ", string.Empty, StringComparison.Ordinal) == "'$(QueueTransport)'=='ServiceBus'")
            .ToList();
        var aliases = serviceBusGroups.Elements("Using")
            .Select(u => $"global using {(string)u.Attribute("Alias")!} = global::{(string)u.Attribute("Include")!};");
        // The csproj's global usings for every transport (an ItemGroup without a condition).
        var usings = csproj.Root!.Elements("ItemGroup")
            .Where(g => g.Attribute("Condition") is null)
            .Elements("Using")
            .Select(u => (string)u.Attribute("Include")!);
        var symbols = serviceBusGroups.Elements("DefineConstants")
            .SelectMany(d => d.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(s => !s.StartsWith("$(", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(aliases);
        Assert.NotEmpty(symbols);

        var parse = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: symbols);
        var sources = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            .Append(CSharpSyntaxTree.ParseText(string.Join('\n', ImplicitUsings.Concat(usings).Select(u => $"global using global::{u};").Concat(aliases)), parse))
            .Append(CSharpSyntaxTree.ParseText(TriggerAttribute, parse));

        // The app's references as built, less the Storage Queues worker extension that the Service Bus build drops.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(path => Path.GetFileName(path) is not ("SimpleAi.Functions.dll" or "Microsoft.Azure.Functions.Worker.Extensions.Storage.Queues.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => MetadataReference.CreateFromFile(g.First()));
        var compilation = CSharpCompilation.Create(
            "SimpleAi.Functions.ServiceBus",
            sources,
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(result.Success, "the Service Bus build does not compile:\n" + string.Join('\n', errors));
        image.Position = 0;
        return new AssemblyLoadContext("service-bus-build", isCollectible: true).LoadFromStream(image);
    }
}
