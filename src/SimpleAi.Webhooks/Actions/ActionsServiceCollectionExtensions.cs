using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

public static class ActionsServiceCollectionExtensions
{
    /// <summary>
    /// The outbound action steps (signed deliveries to <c>Actions:&lt;step&gt;</c>), their delivery with retries, rate
    /// limits and transformations, and the start-up check that every action step the app runs has a usable endpoint.
    /// </summary>
    public static IServiceCollection AddActions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient(ActionStep.HttpClientName);
        services.TryAddSingleton<DestinationRateLimiter>();
        services.TryAddSingleton<ActionDeliverer>();
        services.AddSingleton<IPostConfigureOptions<ActionEndpointOptions>>(new TransformationLoader(configuration));
        services.AddWorkflowCheck<ActionEndpointCheck>();
        services.AddActionStep<CrmSyncStep>(CrmSyncStep.Name, configuration);
        services.AddActionStep<FollowUpStep>(FollowUpStep.Name, configuration);
        services.AddActionStep<TicketStep>(TicketStep.Name, configuration);
        services.AddActionStep<NotifyStep>(NotifyStep.Name, configuration);
        return services;
    }

    private static void AddActionStep<TStep>(this IServiceCollection services, string name, IConfiguration configuration)
        where TStep : ActionStep
    {
        services.AddWorkflowStep<TStep>(name);
        services.AddOptions<ActionEndpointOptions>(name).Bind(configuration.GetSection($"{ActionEndpointOptions.Section}:{name}"));
    }
}
