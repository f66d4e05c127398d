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
    [Theory]
    [InlineData("SimpleAi.Webhooks")]
    [InlineData("SimpleAi.Cli")]
    [InlineData("SimpleAi.Functions")]
    [InlineData("SimpleAi.LocalHost")]
    public void Project_HasNoNamespaceCycle(string project)
    {
        var graph = NamespaceGraph.FromProject(project);
        var cycles = graph.Cycles();

        Assert.True(graph.Namespaces.Count > 1, $"{project}: no namespaces found, the scan read nothing.");
        Assert.True(cycles.Count == 0,
            $"{project}: {(cycles.Count >= NamespaceGraph.MaxCycles ? "at least " : "")}{cycles.Count} namespace cycle(s):\n"
            + string.Join("\n", cycles.Select(c => c.Path))
            + "\n\nThe dependencies inside them, with the types that make each:\n" + graph.DescribeCycleEdges());
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

    /// <summary>The namespaces <paramref name="ns"/> depends on.</summary>
    public ICollection<string> Uses(string ns) => edges[ns].Keys;

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
