using System.CommandLine;

namespace SimpleAi.Cli.Commands;

/// <summary>What <c>fake-api</c> and <c>listen</c> share: the <c>--urls</c> option, serving until Ctrl+C, and one line per request.</summary>
internal static class LocalServerOptions
{
    public static Option<string> Urls(Uri defaultUrl) => new("--urls")
    {
        Description = $"The address to listen on (port 0: a free one). Default: {defaultUrl.GetLeftPart(UriPartial.Authority)}.",
        DefaultValueFactory = _ => defaultUrl.GetLeftPart(UriPartial.Authority),
    };

    public static Uri ParseUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp
            ? url
            : throw new UsageException($"--urls '{value}' is not an http:// URL such as http://127.0.0.1:5080");

    /// <summary>Starts a server, turning a taken address into a one-line usage error.</summary>
    public static async Task<T> StartAsync<T>(Func<Task<T>> start, Uri url)
    {
        try
        {
            return await start();
        }
        catch (IOException e)
        {
            throw new UsageException($"cannot listen on {url.GetLeftPart(UriPartial.Authority)}: {e.Message.TrimEnd('.')} (choose another with --urls)");
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Serves until Ctrl+C (or the command line's cancellation), then exits 0.</summary>
    public static async Task<int> UntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        return ExitCodes.Ok;
    }

    /// <summary>Writes one line from a server thread: lines never interleave.</summary>
    public static void WriteLine(TextWriter writer, string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public static string Clock(DateTimeOffset at, TimeProvider time) =>
        TimeZoneInfo.ConvertTime(at, time.LocalTimeZone).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
