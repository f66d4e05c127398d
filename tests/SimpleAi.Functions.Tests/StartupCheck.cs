using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SimpleAi.Functions.Tests;

/// <summary>Starts the core as the hosts register it and tells what stopped it, if anything.</summary>
internal static class StartupCheck
{
    /// <returns>The start-up validation message, or null when the app started.</returns>
    public static async Task<string?> ErrorAsync(Action<IConfigurationBuilder> configure)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configure(builder.Configuration);
        builder.Services.AddSimpleAiWebhooks(builder.Configuration, FunctionsBuild.QueueTransport);
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
            await host.StopAsync();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e.Message;
        }
    }
}
