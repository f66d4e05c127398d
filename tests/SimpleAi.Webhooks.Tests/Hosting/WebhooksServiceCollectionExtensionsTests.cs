using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SimpleAi.Webhooks.Hosting;
using SimpleAi.Webhooks.Ingest;
using SimpleAi.Webhooks.Queues;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Webhooks.Tests.Hosting;

public sealed class WebhooksServiceCollectionExtensionsTests
{
    private static IHost Build(Dictionary<string, string?> settings, QueueTransport transport = QueueTransport.StorageQueues)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSimpleAiWebhooks(builder.Configuration, transport);
        return builder.Build();
    }

    private static Dictionary<string, string?> ValidSettings() => new()
    {
        ["SimpleAiStorage"] = "UseDevelopmentStorage=true",
        ["Webhook:SigningSecrets"] = TestSigning.Secret,
        ["SimpleAi:ApiKey"] = TestApp.TestApiKey,
    };

    [Fact]
    public async Task MissingSigningSecret_StopsStartWithClearMessage()
    {
        var settings = ValidSettings();
        settings.Remove("Webhook:SigningSecrets");
        using var host = Build(settings);

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Webhook__SigningSecrets is required", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedSigningSecret_StopsStartWithoutRevealingIt()
    {
        var settings = ValidSettings();
        settings["Webhook:SigningSecrets"] = $"{TestSigning.Secret} whsec_%%do-not-log%%";
        using var host = Build(settings);

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("entry #2", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-log", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSigning.Secret, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ingest:MaxBodyBytes", "10")]
    [InlineData("Ingest:RetryAfterSeconds", "0")]
    [InlineData("Webhook:TimestampToleranceSeconds", "0")]
    public async Task OutOfRangeSetting_StopsStart(string key, string value)
    {
        var settings = ValidSettings();
        settings[key] = value;
        using var host = Build(settings);

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key.Split(':')[1], exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageTransport_ResolvesStorageSenderAndIngest()
    {
        using var host = Build(ValidSettings());

        Assert.IsType<StorageQueueSender>(host.Services.GetRequiredService<IQueueSender>());
        Assert.IsType<StandardWebhookVerifier>(host.Services.GetRequiredService<IWebhookVerifier>());
        Assert.NotNull(host.Services.GetRequiredService<WebhookIngestService>());
    }

    [Fact]
    public void ServiceBusTransport_ResolvesServiceBusSender()
    {
        var settings = ValidSettings();
        settings["SimpleAiServiceBus:fullyQualifiedNamespace"] = "example.servicebus.windows.net";
        using var host = Build(settings, QueueTransport.ServiceBus);

        Assert.IsType<ServiceBusQueueSender>(host.Services.GetRequiredService<IQueueSender>());
    }

    [Fact]
    public void MissingStorageConnection_NamesTheSetting()
    {
        var settings = ValidSettings();
        settings.Remove("SimpleAiStorage");
        using var host = Build(settings);

        var exception = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IQueueSender>());

        Assert.Contains("SimpleAiStorage__queueServiceUri", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentityBasedStorageConnection_UsesTheServiceUri()
    {
        var settings = ValidSettings();
        settings.Remove("SimpleAiStorage");
        settings["SimpleAiStorage:queueServiceUri"] = "https://account.queue.core.windows.net";
        settings["SimpleAiStorage:credential"] = "managedidentity";
        settings["SimpleAiStorage:clientId"] = "00000000-0000-0000-0000-000000000001";
        using var host = Build(settings);

        var service = host.Services.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>();

        Assert.Equal("account", service.AccountName);
    }
}
