using SimpleAi.Webhooks.Hosting;

namespace SimpleAi.LocalHost;

/// <summary>
/// The files the local host reads from the repository: the <c>Values</c> of a Functions <c>local.settings.json</c>
/// (the app's <c>src/SimpleAi.Functions/local.settings.json</c>, else the repository's <c>local.settings.sample.json</c>),
/// and the folder of the app's <c>workflow.json</c> (<c>src/SimpleAi.Functions/</c>, the file a person edits, so that an
/// edit takes effect without a build; the app's output folder when not run from the repository).
/// </summary>
public static class LocalSettings
{
    /// <summary>The settings file to use, looked for from <paramref name="start"/> up to the repository root; null when none exists.</summary>
    public static string? Find(string start)
    {
        if (RepositoryRoot(start) is not { } root)
        {
            return null;
        }

        var app = Path.Combine(root, "src", "SimpleAi.Functions", "local.settings.json");
        var sample = Path.Combine(root, "local.settings.sample.json");
        return File.Exists(app) ? app : File.Exists(sample) ? sample : null;
    }

    /// <summary>The folder whose <c>workflow.json</c> (and transforms, relative to it) the app reads: the repository's <c>src/SimpleAi.Functions/</c> above <paramref name="start"/>, else null.</summary>
    public static string? FindWorkflowDirectory(string start) =>
        RepositoryRoot(start) is { } root && Path.Combine(root, "src", "SimpleAi.Functions") is var app && Directory.Exists(app) ? app : null;

    public static Dictionary<string, string?> Read(string path) => LocalSettingsFile.Read(path);

    private static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SimpleAi.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
