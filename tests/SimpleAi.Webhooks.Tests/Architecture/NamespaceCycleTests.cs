using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SimpleAi.Webhooks.Tests.Architecture;

/// <summary>
/// No namespace of a project depends, through others, on itself: a feature uses the shared parts, the composition
/// root uses the features, and nothing points back. The graph comes from the sources bound by Roslyn (every type,
/// member, constant and <c>nameof</c> a type's code names), not from <c>using</c> lines.
/// </summary>
public sealed class NamespaceCycleTests
{
    /// <summary>
    /// The dependencies that close the cycles left in the workflow engine's area (Workflow, Queues, Storage, Telemetry),
    /// each in the wrong direction and being removed in its own pass: empty this set as they go. With these taken out
    /// the graph must have no cycle; an entry that no longer closes a cycle (gone, or nothing leads back) fails too.
    /// </summary>
    private static readonly HashSet<string> KnownCyclesBeingRemoved =
    [
        // Storage/StorageProvisioning names every store it provisions: the composition root's job.
        "SimpleAi.Webhooks.Storage → SimpleAi.Webhooks.Events",
        "SimpleAi.Webhooks.Storage → SimpleAi.Webhooks.PostCall",
        "SimpleAi.Webhooks.Storage → SimpleAi.Webhooks.Queues",
        "SimpleAi.Webhooks.Storage → SimpleAi.Webhooks.Workflow",
        // Queues/ServiceBusFailedTries books a given-up message with Operations/PoisonBookkeeping.
        "SimpleAi.Webhooks.Queues → SimpleAi.Webhooks.Operations",
        // Queues/HostRetryOptionsValidator reads WorkflowOptions; ServiceBus{FailedTries,Retries} take Workflow's QueueDelivery.
        "SimpleAi.Webhooks.Queues → SimpleAi.Webhooks.Workflow",
        // Telemetry/WebhookTelemetry takes Workflow's RunStatus and WorkflowRun.
        "SimpleAi.Webhooks.Telemetry → SimpleAi.Webhooks.Workflow",
        // Connections/AzureConnections reads Queues/ConnectionNames: the names belong with the connections.
        "SimpleAi.Webhooks.Connections → SimpleAi.Webhooks.Queues",
    ];

    [Theory]
    [InlineData("SimpleAi.Webhooks")]
    [InlineData("SimpleAi.Cli")]
    [InlineData("SimpleAi.Functions")]
    [InlineData("SimpleAi.LocalHost")]
    public void Project_HasNoNamespaceCycle(string project)
    {
        var graph = NamespaceGraph.FromProject(project);
        var known = KnownCyclesBeingRemoved.Where(edge => edge.StartsWith(project + ".", StringComparison.Ordinal)).ToList();
        var gone = known.Where(edge => !graph.ClosesACycle(edge)).ToList();
        var rest = graph.Without(known);
        var cycles = rest.Cycles();

        Assert.True(graph.Namespaces.Count > 1, $"{project}: no namespaces found, the scan read nothing.");
        Assert.True(cycles.Count == 0,
            $"{project}: {(cycles.Count >= NamespaceGraph.MaxCycles ? "at least " : "")}{cycles.Count} namespace cycle(s):\n"
            + string.Join("\n", cycles.Select(c => c.Path))
            + "\n\nThe dependencies inside them, with the types that make each:\n" + rest.DescribeCycleEdges());
        Assert.True(gone.Count == 0,
            "No longer closing a cycle: remove from KnownCyclesBeingRemoved:\n" + string.Join("\n", gone));
    }

    [Fact]
    public void Detector_FindsACycleThroughConstantsNameofAndExtensionMethods()
    {
        var graph = NamespaceGraph.FromSources(
            [
                """
                namespace Sample.Queues;
                public static class QueueNames { public const string Steps = "steps"; }
                public sealed class Sender { public string Name => Sample.Storage.Tables.Runs; }
                """,
                """
                namespace Sample.Storage;
                public static class Tables { public const string Runs = nameof(Runs); }
                public static class TableExtensions { public static string Quoted(this string s) => s; }
                public sealed class Keeper { public string Queue = Sample.Queues.QueueNames.Steps; }
                """,
                """
                namespace Sample.Composition;
                using Sample.Storage;
                public static class Root { public static string Name() => nameof(Sample.Queues.Sender) + "x".Quoted(); }
                """,
            ],
            "Sample");

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal("Sample.Queues → Sample.Storage → Sample.Queues", cycle.Path);
        Assert.Equal("Sample.Queues.Sender → Sample.Storage.Tables", graph.Evidence("Sample.Queues", "Sample.Storage"));
        Assert.Equal("Sample.Storage.Keeper → Sample.Queues.QueueNames", graph.Evidence("Sample.Storage", "Sample.Queues"));
        Assert.Equal("Sample.Composition.Root → Sample.Queues.Sender", graph.Evidence("Sample.Composition", "Sample.Queues"));
        Assert.Equal("Sample.Composition.Root → Sample.Storage.TableExtensions", graph.Evidence("Sample.Composition", "Sample.Storage"));
        Assert.True(graph.ClosesACycle("Sample.Storage → Sample.Queues"));
        Assert.False(graph.ClosesACycle("Sample.Composition → Sample.Storage"));
        Assert.False(graph.ClosesACycle("Sample.Storage → Sample.Composition"));
        Assert.Empty(graph.Without(["Sample.Storage → Sample.Queues"]).Cycles());
    }

    [Fact]
    public void Detector_FindsNoCycleInALayeredGraph()
    {
        var graph = NamespaceGraph.FromSources(
            [
                "namespace Sample.Shared; public sealed class Clock { }",
                "namespace Sample.Feature; public sealed class Step { public Sample.Shared.Clock Clock = new(); }",
                "namespace Sample; public static class Root { public static object Make() => new Sample.Feature.Step(); }",
            ],
            "Sample");

        Assert.Empty(graph.Cycles());
        Assert.Equal(["Sample", "Sample.Feature", "Sample.Shared"], graph.Namespaces.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Cycles_ListEachElementaryCycleOnce()
    {
        var graph = new NamespaceGraph();
        graph.Add("A", "A.T", "B", "B.T");
        graph.Add("B", "B.T", "A", "A.U");
        graph.Add("B", "B.T", "C", "C.T");
        graph.Add("C", "C.T", "A", "A.T");
        graph.Add("C", "C.T", "D", "D.T");

        Assert.Equal(["A → B → A", "A → B → C → A"], graph.Cycles().Select(c => c.Path));
    }
}

/// <summary>A namespace dependency graph; each edge keeps the types that make it (<c>From.Type → To.Type</c>).</summary>
internal sealed class NamespaceGraph
{
    public const int MaxCycles = 100;

    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> edges = new(StringComparer.Ordinal);

    public ICollection<string> Namespaces => edges.Keys;

    public void Add(string fromNamespace, string fromType, string toNamespace, string toType)
    {
        Node(toNamespace);
        if (fromNamespace == toNamespace)
        {
            Node(fromNamespace);
            return;
        }

        var targets = Node(fromNamespace);
        if (!targets.TryGetValue(toNamespace, out var evidence))
        {
            targets[toNamespace] = evidence = new SortedSet<string>(StringComparer.Ordinal);
        }

        evidence.Add($"{fromType} → {toType}");
    }

    /// <summary>Every elementary cycle (up to <see cref="MaxCycles"/>), each once, starting at its smallest namespace.</summary>
    public IReadOnlyList<NamespaceCycle> Cycles()
    {
        var found = new List<NamespaceCycle>();
        var names = edges.Keys.ToList();
        foreach (var start in names)
        {
            var path = new List<string> { start };
            Walk(start, start, path, found);
            if (found.Count >= MaxCycles)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Whether <paramref name="edge"/> ("A → B") is a dependency and B leads back to A.</summary>
    public bool ClosesACycle(string edge)
    {
        var (from, to) = Split(edge);
        return edges.TryGetValue(from, out var targets) && targets.ContainsKey(to) && Reaches(to, from);
    }

    /// <summary>This graph without the dependencies <paramref name="removed"/> ("A → B" each).</summary>
    public NamespaceGraph Without(IEnumerable<string> removed)
    {
        var skip = removed.Select(Split).ToHashSet();
        var graph = new NamespaceGraph();
        foreach (var (from, targets) in edges)
        {
            graph.Node(from);
            foreach (var (to, evidence) in targets.Where(t => !skip.Contains((from, t.Key))))
            {
                graph.Node(from)[to] = evidence;
                graph.Node(to);
            }
        }

        return graph;
    }

    private bool Reaches(string from, string to)
    {
        var seen = new HashSet<string> { from };
        var pending = new Stack<string>([from]);
        while (pending.TryPop(out var current))
        {
            if (current == to)
            {
                return true;
            }

            foreach (var next in edges[current].Keys.Where(seen.Add))
            {
                pending.Push(next);
            }
        }

        return false;
    }

    private static (string From, string To) Split(string edge) =>
        edge.Split(" → ") is [var from, var to] ? (from, to) : throw new ArgumentException($"'{edge}' is not 'A → B'.", nameof(edge));

    /// <summary>Each dependency between two namespaces of one cycle, with the types that make it.</summary>
    public string DescribeCycleEdges()
    {
        var inCycles = Cycles().SelectMany(c => c.Namespaces.Zip(c.Namespaces.Skip(1).Append(c.Namespaces[0]))).ToHashSet();
        return string.Join("\n", inCycles.OrderBy(s => s.First, StringComparer.Ordinal).ThenBy(s => s.Second, StringComparer.Ordinal).Select(step => $"  {step.First} → {step.Second}: {Evidence(step.First, step.Second)}"));
    }

    public string DescribeAllEdges() =>
        string.Join("\n", edges.SelectMany(from => from.Value.Keys.Select(to => $"{from.Key} → {to}: {Evidence(from.Key, to)}")));

    public string Evidence(string from, string to)
    {
        var types = edges[from][to];
        return string.Join(", ", types.Take(5)) + (types.Count > 5 ? $" (+{types.Count - 5} more)" : "");
    }

    private void Walk(string start, string current, List<string> path, List<NamespaceCycle> found)
    {
        foreach (var next in edges[current].Keys)
        {
            if (found.Count >= MaxCycles)
            {
                return;
            }

            if (next == start)
            {
                found.Add(new NamespaceCycle([.. path]));
            }
            else if (string.CompareOrdinal(next, start) > 0 && !path.Contains(next))
            {
                path.Add(next);
                Walk(start, next, path, found);
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private SortedDictionary<string, SortedSet<string>> Node(string ns)
    {
        if (!edges.TryGetValue(ns, out var targets))
        {
            edges[ns] = targets = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        }

        return targets;
    }

    /// <summary>The graph of src/<paramref name="project"/>, bound against the assemblies the tests run with.</summary>
    public static NamespaceGraph FromProject(string project)
    {
        var folder = Path.Combine(RepoPaths.Root, "src", project);
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(Path.GetRelativePath(folder, file)))
            .ToList();
        var globalUsings = GlobalUsings(Path.Combine(folder, project + ".csproj"));

        return Build(files.Select(file => File.ReadAllText(file)).Prepend(globalUsings), project, References(excluding: project));
    }

    public static NamespaceGraph FromSources(IEnumerable<string> sources, string root) =>
        Build(sources, root, References(excluding: null));

    private static NamespaceGraph Build(IEnumerable<string> sources, string root, IEnumerable<MetadataReference> references)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source, parse)).ToList();
        var compilation = CSharpCompilation.Create(
            "NamespaceScan",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        var graph = new NamespaceGraph();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is not (SimpleNameSyntax or ImplicitObjectCreationExpressionSyntax) || IsNamespaceName(node))
                {
                    continue;
                }

                var from = model.GetEnclosingSymbol(node.SpanStart) is { } enclosing ? OwningType(enclosing) : null;
                var info = model.GetSymbolInfo(node);
                var target = info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
                var to = target switch
                {
                    INamedTypeSymbol type => type,
                    IAliasSymbol { Target: INamedTypeSymbol type } => type,
                    IMethodSymbol or IFieldSymbol or IPropertySymbol or IEventSymbol => target.ContainingType,
                    _ => null,
                };

                if (from is null || to is null || !InRoot(from, root) || !InRoot(to, root))
                {
                    continue;
                }

                graph.Add(NamespaceOf(from), Name(from), NamespaceOf(to), Name(to));
            }
        }

        return graph;
    }

    /// <summary>A name in a <c>using</c> line or a namespace declaration: it names a namespace, not a dependency.</summary>
    private static bool IsNamespaceName(SyntaxNode node) =>
        node.Ancestors().Any(a => a is UsingDirectiveSyntax || (a is BaseNamespaceDeclarationSyntax ns && ns.Name.Span.Contains(node.Span)));

    private static INamedTypeSymbol? OwningType(ISymbol symbol)
    {
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        while (type?.ContainingType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static bool InRoot(INamedTypeSymbol type, string root)
    {
        var ns = NamespaceOf(type);
        return ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);
    }

    private static string NamespaceOf(INamedTypeSymbol type) => type.OriginalDefinition.ContainingNamespace.ToDisplayString();

    private static string Name(INamedTypeSymbol type)
    {
        var outer = OwningType(type)!;
        return $"{NamespaceOf(outer)}.{outer.Name}";
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) is [var first, ..] && first is "obj" or "bin";

    /// <summary>The SDK's implicit usings and the project's unconditional (or default-transport) &lt;Using&gt; items.</summary>
    private static string GlobalUsings(string csproj)
    {
        string[] implicitUsings = ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];
        var items = XDocument.Load(csproj).Descendants("ItemGroup")
            .Where(group => group.Attribute("Condition")?.Value is not { } condition || condition.Contains("!=", StringComparison.Ordinal))
            .Elements("Using")
            .Select(item => item.Attribute("Alias")?.Value is { } alias
                ? $"global using {alias} = {item.Attribute("Include")!.Value};"
                : $"global using {item.Attribute("Include")!.Value};");

        return string.Join("\n", implicitUsings.Select(u => $"global using {u};").Concat(items));
    }

    /// <summary>The framework and package assemblies of this test run, without the project being scanned.</summary>
    private static IEnumerable<MetadataReference> References(string? excluding)
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        var excludedAssembly = excluding == "SimpleAi.Cli" ? "simpleai-webhooks" : excluding;

        return trusted.Concat(local)
            .Where(path => !Path.GetFileNameWithoutExtension(path).Equals(excludedAssembly, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(path => MetadataReference.CreateFromFile(path));
    }
}

internal sealed record NamespaceCycle(IReadOnlyList<string> Namespaces)
{
    public string Path => string.Join(" → ", Namespaces.Append(Namespaces[0]));
}
