namespace SimpleAi.Cli;

/// <summary>Reads a body exactly as bytes from a file or, for <c>-</c>, standard input: signatures cover raw bytes.</summary>
internal static class BodySource
{
    public static byte[] Read(string path, CliConsole console)
    {
        if (path == "-")
        {
            using var input = console.OpenInput();
            using var buffer = new MemoryStream();
            input.CopyTo(buffer);
            return buffer.ToArray();
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the body file '{path}': {e.Message}");
        }
    }
}
