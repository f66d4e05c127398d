using Microsoft.Azure.Functions.Worker;
using Moq;

namespace SimpleAi.Functions.Tests.ServiceBus;

/// <summary>
/// The delivery facts each trigger's binding data gives (the isolated worker passes the Service Bus trigger's
/// <c>ApplicationProperties</c> as a JSON string: azure-functions-dotnet-worker GrpcFunctionBindingsFeature, Json → string).
/// </summary>
public sealed class QueueDeliveriesTests
{
    [Fact]
    public void StorageQueueMessage_IsItsIdAndDequeueCount()
    {
        var delivery = QueueInvocations.DeliveryOf(Context(new() { ["Id"] = "m-1", ["DequeueCount"] = 3L }));

        Assert.Equal(new QueueDelivery("m-1", 3), delivery);
    }

    [Fact]
    public void ServiceBusMessageOnItsFirstSend_IsItsSequenceNumberAndDeliveryCount()
    {
        var delivery = QueueInvocations.DeliveryOf(Context(new() { ["SequenceNumber"] = 77L, ["DeliveryCount"] = 2L, ["ApplicationProperties"] = "{}" }));

        Assert.Equal(new QueueDelivery("77", 2), delivery);
    }

    [Fact]
    public void ServiceBusCopyTheAppResent_CarriesItsFirstDeliveryIdAndTheTriesSpent()
    {
        var properties = $$"""{"{{ServiceBusRetries.DeliveryIdProperty}}":"77","{{ServiceBusRetries.PriorTriesProperty}}":"3","call_id":"c"}""";

        var delivery = QueueInvocations.DeliveryOf(Context(new() { ["SequenceNumber"] = 90L, ["DeliveryCount"] = 1L, ["ApplicationProperties"] = properties }));

        Assert.Equal(new QueueDelivery("77", 4), delivery);
    }

    internal static FunctionContext Context(Dictionary<string, object?> data)
    {
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(data);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        context.SetupGet(c => c.InvocationId).Returns("invocation-1");
        return context.Object;
    }
}
