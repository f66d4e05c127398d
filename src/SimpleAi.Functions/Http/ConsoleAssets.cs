namespace SimpleAi.Functions.Http;

/// <summary>
/// The console's files, from the <c>console</c> folder next to the app's binaries (published with it): a path that
/// names no file (a view's address, or none) gets <c>index.html</c>; a path that leaves the folder gets nothing.
/// </summary>
public static class ConsoleAssets
{
    public const string Folder = "console";

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    private static string Root => Path.Combine(Path.GetDirectoryName(typeof(ConsoleAssets).Assembly.Location)!, Folder);

    /// <summary>The file's type and bytes; null for a path outside the folder or of a type the console does not serve.</summary>
    public static async Task<(string ContentType, byte[] Body)?> ReadAsync(string? path, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(Root);
        var relative = (path ?? string.Empty).Replace('\\', '/').Trim('/');
        var extension = Path.GetExtension(relative);
        if (relative.Length == 0 || extension.Length == 0)
        {
            relative = "index.html";
            extension = ".html";
        }

        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !Types.TryGetValue(extension, out var type) || !File.Exists(full))
        {
            return null;
        }

        return (type, await File.ReadAllBytesAsync(full, cancellationToken));
    }
}
