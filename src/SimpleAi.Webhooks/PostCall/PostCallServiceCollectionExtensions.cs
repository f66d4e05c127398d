using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.PostCall;

public static class PostCallServiceCollectionExtensions
{
    /// <summary>
    /// The post-call journey's first step, <c>fetch-call</c>: it fetches the call, keeps its snapshot, and gives the
    /// workflow's rules the call's fields (<see cref="CallFacts"/>); it is the whole workflow when none is configured.
    /// </summary>
    public static IServiceCollection AddPostCall(this IServiceCollection services)
    {
        services.TryAddSingleton<CallSnapshotStore>();
        services.TryAddSingleton<Calls.CallIndex>();
        return services.AddWorkflowStep<FetchCallStep>(FetchCallStep.Name)
            .AddRuleFields(CallFacts.Fields)
            .AddDefaultWorkflow(FetchCallStep.Name);
    }
}
