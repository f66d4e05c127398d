namespace SimpleAi.Testing;

/// <summary>Paths inside the repository, found from the test binaries' folder.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>The app's host.json (the Functions project links it into its output).</summary>
    public static string HostJson => Path.Combine(Root, "host.json");

    public static string Fixture(string name) => Path.Combine(Root, "tests", "fixtures", "simple-ai", name);

    public static byte[] FixtureBytes(string name) => File.ReadAllBytes(Fixture(name));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SimpleAi.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SimpleAi.Functions.sln above {AppContext.BaseDirectory}.");
    }
}
