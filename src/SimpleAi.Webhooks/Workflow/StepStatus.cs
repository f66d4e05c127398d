namespace SimpleAi.Webhooks.Workflow;

public enum StepStatus
{
    Running,
    Completed,
    Failed,
    Skipped,
}
