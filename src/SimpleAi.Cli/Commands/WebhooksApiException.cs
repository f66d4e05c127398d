namespace SimpleAi.Cli.Commands;

/// <summary>The Simple AI webhooks API could not do what <c>register</c> asked: one line to print, and the exit code it means.</summary>
internal sealed class WebhooksApiException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
