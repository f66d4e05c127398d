using System.Text.RegularExpressions;

namespace SimpleAi.Webhooks.Tests.Architecture;

/// <summary>
/// docs/architecture.md's "Folders and what each may use" is the rule: code in a folder of SimpleAi.Webhooks names
/// types only of the folders its row lists, every folder has a row, and every row is a folder.
/// </summary>
public sealed partial class FolderRulesTests
{
    private const string Root = "SimpleAi.Webhooks";

    private static readonly Lazy<NamespaceGraph> Graph = new(() => NamespaceGraph.FromProject(Root));

    [Fact]
    public void EveryFolder_UsesOnlyWhatItsRowAllows()
    {
        var rules = Rules(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "architecture.md")));

        var unlisted = Graph.Value.Namespaces.Where(ns => !rules.ContainsKey(ns)).ToList();
        var notAFolder = rules.Keys.Where(ns => !Graph.Value.Namespaces.Contains(ns)).ToList();
        var broken = Graph.Value.Namespaces.Where(rules.ContainsKey)
            .SelectMany(ns => Graph.Value.Uses(ns).Where(used => !rules[ns].Allows(used)).Select(used => $"{Short(ns)} uses {Short(used)}: {Graph.Value.Evidence(ns, used)}"))
            .ToList();

        Assert.True(rules.Count > 10, "docs/architecture.md: the folder table was not found.");
        Assert.True(unlisted.Count == 0, "Folders with no row in docs/architecture.md's folder table: " + string.Join(", ", unlisted.Select(Short)));
        Assert.True(notAFolder.Count == 0, "Rows of docs/architecture.md's folder table that are no folder: " + string.Join(", ", notAFolder.Select(Short)));
        Assert.True(broken.Count == 0, "Uses the folder table does not allow (add them to the row, or remove the use):\n" + string.Join("\n", broken));
    }

    [Fact]
    public void Rules_ReadTheTable_AndAFolderMayUseOnlyItsList()
    {
        var rules = Rules("""
            ## Folders and what each may use
            | Folder | What it holds | May use |
            |---|---|---|
            | *(root)* `SimpleAi.Webhooks` | the list | every folder |
            | `Workflow/` | the engine | `Queues` `Storage` |
            | `Actions.Transformations` | scripts | `Hosting` |
            | `Storage/` | tables | nothing |

            ## Next
            | `Ignored/` | after the section | `Anything` |
            """);

        Assert.Equal(["SimpleAi.Webhooks", "SimpleAi.Webhooks.Actions.Transformations", "SimpleAi.Webhooks.Storage", "SimpleAi.Webhooks.Workflow"], rules.Keys.Order(StringComparer.Ordinal));
        Assert.True(rules["SimpleAi.Webhooks.Workflow"].Allows("SimpleAi.Webhooks.Queues"));
        Assert.False(rules["SimpleAi.Webhooks.Workflow"].Allows("SimpleAi.Webhooks.Actions"));
        Assert.False(rules["SimpleAi.Webhooks.Storage"].Allows("SimpleAi.Webhooks.Queues"));
        Assert.True(rules["SimpleAi.Webhooks.Actions.Transformations"].Allows("SimpleAi.Webhooks.Hosting"));
        Assert.True(rules["SimpleAi.Webhooks"].Allows("SimpleAi.Webhooks.Console"));
    }

    /// <summary>The rows of the section "Folders and what each may use", by namespace.</summary>
    private static Dictionary<string, FolderRule> Rules(string markdown)
    {
        var section = markdown[markdown.IndexOf("## Folders and what each may use", StringComparison.Ordinal)..];
        section = section[..(section.IndexOf("\n## ", 3, StringComparison.Ordinal) is var end and > 0 ? end : section.Length)];
        var rules = new Dictionary<string, FolderRule>(StringComparer.Ordinal);
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 5 || Names(cells[1]) is not [var folder])
            {
                continue;
            }

            var ns = folder == Root ? Root : $"{Root}.{folder.TrimEnd('/').Replace('/', '.')}";
            rules[ns] = new FolderRule(cells[3] == "every folder", [.. Names(cells[3]).Select(n => $"{Root}.{n}")]);
        }

        return rules;
    }

    private static List<string> Names(string cell) => [.. Code().Matches(cell).Select(m => m.Groups[1].Value)];

    private static string Short(string ns) => ns == Root ? "(root)" : ns[(Root.Length + 1)..];

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    private sealed record FolderRule(bool Everything, IReadOnlyList<string> MayUse)
    {
        public bool Allows(string ns) => Everything || MayUse.Contains(ns, StringComparer.Ordinal);
    }
}
