namespace SimpleAi.Cli;

/// <summary>Exit codes of <c>simpleai-webhooks</c>, documented in the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and the answer is "no" (for <c>verify</c>: the signature is invalid).</summary>
    public const int Failed = 1;

    /// <summary>The command line or an input it names is unusable.</summary>
    public const int Usage = 2;

    /// <summary>
    /// A setting or settings file is unusable (<c>local.settings.json</c> not valid JSON, for example): the same
    /// <c>Configuration error</c> list and code as the app and the local host print and exit with.
    /// </summary>
    public const int Configuration = SimpleAi.Webhooks.Hosting.ConfigurationErrors.ExitCode;
}
