namespace SimpleAi.Webhooks.Workflow;

/// <summary>The step message to send after a transition is saved: the next step, or the same one again after <see cref="Delay"/>.</summary>
public sealed record StepSend(string Step, TimeSpan? Delay = null);
