namespace SimpleAi.Webhooks.Workflow;

/// <summary>A step the workflow configuration may name: its name (and queue <c>step-&lt;name&gt;</c>) and its class.</summary>
public sealed record WorkflowStepRegistration(string Name, Type StepType);
