namespace SimpleAi.Cli;

/// <summary>An argument or input the command cannot use; reported as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
