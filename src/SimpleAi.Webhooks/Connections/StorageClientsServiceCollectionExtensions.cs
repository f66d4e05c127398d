using Microsoft.Extensions.Azure;

namespace SimpleAi.Webhooks.Connections;

public static class StorageClientsServiceCollectionExtensions
{
    /// <summary>The Table and Blob service clients every feature's state lives behind, from the <c>SimpleAiStorage</c> connection.</summary>
    public static IServiceCollection AddStorageClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(provider => AzureConnections.CreateTableServiceClient(
            configuration, provider.GetRequiredService<AzureComponentFactory>()));
        services.TryAddSingleton(provider => AzureConnections.CreateBlobServiceClient(
            configuration, provider.GetRequiredService<AzureComponentFactory>()));
        return services;
    }
}
