namespace SimpleAi.Testing;

/// <summary>
/// A fresh <c>git clone</c> of the repository's committed HEAD in a temporary folder, as a new user gets it: no
/// <c>node_modules</c>, no <c>bin/</c> or <c>obj/</c>, no <c>local.settings.json</c>. Uncommitted changes are not in it
/// (CI's checkout is itself a fresh clone of the commit it tests). Disposing deletes the folder.
/// </summary>
public sealed class FreshClone : IDisposable
{
    private readonly string _folder;

    private FreshClone(string folder, string root)
    {
        _folder = folder;
        Root = root;
    }

    /// <summary>The clone's working tree.</summary>
    public string Root { get; }

    public static async Task<FreshClone> OfHeadAsync()
    {
        var (found, head) = await RepoCommand.RunAsync("git", ["rev-parse", "HEAD"]);
        if (found != 0)
        {
            throw new InvalidOperationException($"git rev-parse HEAD failed: {head}");
        }

        var folder = Directory.CreateTempSubdirectory("simpleai-clone-").FullName;
        var clone = new FreshClone(folder, Path.Combine(folder, "SimpleAi.Functions"));
        try
        {
            await GitAsync(["clone", "--quiet", "--no-checkout", RepoPaths.Root, clone.Root], folder);
            await GitAsync(["checkout", "--quiet", "--detach", head.Trim()], clone.Root);
            return clone;
        }
        catch
        {
            clone.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A process of the clone still holding a file: the temporary folder is left to the system.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static async Task GitAsync(string[] arguments, string workingDirectory)
    {
        var (code, output) = await RepoCommand.RunAsync("git", arguments, workingDirectory: workingDirectory);
        if (code != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} exited {code}: {output}");
        }
    }
}
