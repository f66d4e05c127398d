namespace SimpleAi.Webhooks.Routing;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>The <c>events</c> queue's router (once per delivery, by event id) that hands each event to its feature.</summary>
    public static IServiceCollection AddEventRouting(this IServiceCollection services)
    {
        services.TryAddSingleton<DeliveryLedger>();
        services.TryAddSingleton<EventRouter>();
        return services;
    }
}
