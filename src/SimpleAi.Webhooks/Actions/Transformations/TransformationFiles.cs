using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.Webhooks.Actions.Transformations;

/// <summary>
/// Where a transformation file named by <c>Actions:&lt;step&gt;:Transform</c> lives: relative to the directory of the
/// app's <c>workflow.json</c> (the directory its JSON configuration source reads from), or to the app's base directory
/// when no <c>workflow.json</c> source is configured (both are the app's output directory in every host). An absolute
/// path is used as it is.
/// </summary>
public static class TransformationFiles
{
    /// <summary>The workflow file every host adds to its configuration (SimpleAi.Functions' <c>WorkflowFile</c>).</summary>
    public const string WorkflowFile = "workflow.json";

    public static string Resolve(IConfiguration configuration, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetFullPath(Path.Combine(BaseDirectory(configuration), path));
    }

    /// <summary>The directory of <c>workflow.json</c> as the configuration reads it, else the app's base directory.</summary>
    public static string BaseDirectory(IConfiguration configuration) =>
        WorkflowLocations.PathOf(configuration) is { } workflow ? Path.GetDirectoryName(workflow)! : AppContext.BaseDirectory;
}
