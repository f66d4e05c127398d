namespace SimpleAi.Cli;

/// <summary>Exit codes of <c>simpleai-webhooks</c>, documented in the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and the answer is "no" (for <c>verify</c>: the signature is invalid).</summary>
    public const int Failed = 1;

    /// <summary>The command line or an input it names is unusable (a file, a secret, a queue that does not exist, the storage).</summary>
    public const int Usage = 2;

    // 3 and 4 are status's (StatusCommand.InProgress, StatusCommand.NotFound).

    /// <summary><c>register</c>: the Simple AI API refused the API key (401 or 403).</summary>
    public const int ApiKeyRefused = 5;

    /// <summary><c>register</c>: the Simple AI API refused the request as invalid (422, with its message shown).</summary>
    public const int ApiRejected = 6;

    /// <summary><c>register</c>: the Simple AI API could not be reached (no connection, name not resolved, timed out).</summary>
    public const int Unreachable = 7;

    /// <summary>
    /// A setting or settings file is unusable (<c>local.settings.json</c> not valid JSON, for example): the same
    /// <c>Configuration error</c> list and code as the app and the local host print and exit with.
    /// </summary>
    public const int Configuration = SimpleAi.Webhooks.Hosting.ConfigurationErrors.ExitCode;
}

/// <summary>An argument or input the command cannot use; reported as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
