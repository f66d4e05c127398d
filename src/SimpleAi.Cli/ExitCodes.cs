namespace SimpleAi.Cli;

/// <summary>Exit codes of <c>simpleai-webhooks</c>, documented in the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and the answer is "no" (for <c>verify</c>: the signature is invalid).</summary>
    public const int Failed = 1;

    /// <summary>The command line or an input it names is unusable (a file, a secret, a queue that does not exist, the storage).</summary>
    public const int Usage = 2;
}
