namespace SimpleAi.Webhooks.Telemetry;

/// <summary>
/// A failure the app has already logged with what a person needs (the step, the run, the try of tries, the error, the
/// next try), before handing it to the host to retry. The host logs the same exception again (the Functions host's
/// <c>Executed '…' (Failed …)</c>); telemetry keeps both records, and a console that shows people one line per failed
/// try (the local host's) leaves the host's repeat out. The mark is an entry in <see cref="Exception.Data"/>, so it
/// travels with the exception through the host's wrappers.
/// </summary>
public static class LoggedFailure
{
    private const string Key = "SimpleAi.Webhooks.Logged";

    public static void Mark(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        exception.Data[Key] = true;
    }

    /// <summary>True when <paramref name="exception"/> or one it wraps (its inner exceptions) was marked.</summary>
    public static bool IsMarked(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.Data.Contains(Key))
            {
                return true;
            }
        }

        return false;
    }
}
