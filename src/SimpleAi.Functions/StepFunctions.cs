using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Functions;

/// <summary>
/// The queue of every step: an isolated-worker queue trigger is a method with a constant queue name, so each step
/// registered in the core (<c>AddWorkflowStep</c>, <c>AddActionStep</c>) has one line here that hands its queue,
/// <c>step-&lt;name&gt;</c>, to <see cref="QueueInvocations.RunStepAsync"/>, which runs it with the <see cref="StepRunner"/>. The steps' work is in the core (<c>FetchCallStep</c>, <c>ActionStep</c>).
/// </summary>
public sealed class StepFunctions(QueueInvocations queues)
{
    [Function("step-fetch-call")]
    public Task FetchCall([QueueMessageTrigger("step-fetch-call", Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context) => queues.RunStepAsync("fetch-call", message, context);

    [Function("step-crm-sync")]
    public Task CrmSync([QueueMessageTrigger("step-crm-sync", Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context) => queues.RunStepAsync("crm-sync", message, context);

    [Function("step-follow-up")]
    public Task FollowUp([QueueMessageTrigger("step-follow-up", Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context) => queues.RunStepAsync("follow-up", message, context);

    [Function("step-ticket")]
    public Task Ticket([QueueMessageTrigger("step-ticket", Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context) => queues.RunStepAsync("ticket", message, context);

    [Function("step-notify")]
    public Task Notify([QueueMessageTrigger("step-notify", Connection = FunctionsBuild.QueueConnection)] string message, FunctionContext context) => queues.RunStepAsync("notify", message, context);
}
