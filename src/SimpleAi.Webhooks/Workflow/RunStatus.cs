namespace SimpleAi.Webhooks.Workflow;

public enum RunStatus
{
    Running,
    Completed,
    Failed,
}
