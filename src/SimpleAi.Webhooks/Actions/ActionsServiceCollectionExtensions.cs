using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Destinations;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Actions;

public static class ActionsServiceCollectionExtensions
{
    /// <summary>
    /// The outbound action steps (signed deliveries to <c>Actions__&lt;step key&gt;__Url</c>), their delivery with retries, rate
    /// limits and transformations, and the start-up check that every action step the app runs has a usable endpoint.
    /// </summary>
    public static IServiceCollection AddActions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient(ActionStep.HttpClientName);
        services.TryAddSingleton<DestinationRateLimiter>();
        services.TryAddSingleton<ActionDeliverer>();
        services.AddSingleton<IPostConfigureOptions<ActionEndpointOptions>>(new TransformationLoader(configuration));
        services.AddWorkflowCheck<ActionEndpointCheck>();
        foreach (var action in ActionStep.BuiltIn)
        {
            services.AddActionStep(action, configuration);
        }

        return services;
    }

    /// <summary>
    /// An action step under <paramref name="name"/>: the one <see cref="ActionStep"/>, posting to the endpoint configured
    /// in <c>Actions__&lt;step key&gt;__…</c> (<see cref="ActionEndpointOptions.KeyOf"/>) (no class of its own; like any step it needs a function on <c>step-&lt;name&gt;</c>).
    /// </summary>
    public static IServiceCollection AddActionStep(this IServiceCollection services, string name, IConfiguration configuration)
    {
        services.AddWorkflowStep<ActionStep>(name);
        services.AddOptions<ActionEndpointOptions>(name).Bind(configuration.GetSection(ActionEndpointOptions.SectionOf(name)));
        return services;
    }
}
