namespace SimpleAi.Webhooks.Console;

/// <summary>The access check's answer: allowed (with who, for the change log) or refused with a status and why.</summary>
public sealed record ConsoleAccessDecision(int Status, string? Who, string? Reason)
{
    public bool Allowed => Status == 200;

    public static ConsoleAccessDecision Allow(string who) => new(200, who, null);

    public static ConsoleAccessDecision Refuse(int status, string reason) => new(status, null, reason);
}
