using SimpleAi.Functions;

namespace SimpleAi.Infra.Tests;

/// <summary>
/// Every step of the app (registered, or named in workflow.json) has its registration, its function and its queues in
/// infra/main.bicep; and the check says which one is missing when one is.
/// </summary>
public sealed class StepWiringTests(InfrastructureTemplateTests.Template template) : IClassFixture<InfrastructureTemplateTests.Template>
{
    public static TheoryData<QueueTransport> Transports() => [QueueTransport.StorageQueues, QueueTransport.ServiceBus];

    [Theory]
    [MemberData(nameof(Transports))]
    public void EveryStepOfTheApp_HasItsRegistrationFunctionAndQueues(QueueTransport transport)
    {
        var workflowFile = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepoPaths.Root, "src", "SimpleAi.Functions", FunctionsAppServiceCollectionExtensions.WorkflowFile))
            .Build();

        var problems = StepWiring.Problems(
            StepWiring.RegisteredSteps(), StepWiring.ConfiguredSteps(workflowFile), StepWiring.AppFunctionQueues(), ProvisionedQueues(transport));

        Assert.Empty(problems);
    }

    [Fact]
    public void RegisteredStepWithoutFunction_IsReported()
    {
        var problems = StepWiring.Problems(["fetch-call", "escalate"], [], ["step-fetch-call"], ProvisionedQueues(QueueTransport.StorageQueues));

        Assert.Contains(problems, p => p.StartsWith("step 'escalate' has no function", StringComparison.Ordinal));
    }

    [Fact]
    public void StepInWorkflowWithoutRegistration_IsReported()
    {
        var problems = StepWiring.Problems(["fetch-call"], ["fetch-call", "crm-sync"], ["step-fetch-call", "step-crm-sync"], ProvisionedQueues(QueueTransport.StorageQueues));

        Assert.Equal(
        [
            "step 'crm-sync' is in the workflow but not registered (AddWorkflowStep or AddActionStep)",
            "the function on 'step-crm-sync' has no registered step",
        ], problems);
    }

    [Fact]
    public void FunctionOnAStepQueueWithoutRegistration_IsReported()
    {
        var problems = StepWiring.Problems(["fetch-call"], [], ["events", "step-fetch-call", "step-ticket"], ProvisionedQueues(QueueTransport.StorageQueues));

        Assert.Equal(["the function on 'step-ticket' has no registered step"], problems);
    }

    private List<string> ProvisionedQueues(QueueTransport transport) =>
        template.For(transport).Names(transport == QueueTransport.ServiceBus
            ? "Microsoft.ServiceBus/namespaces/queues"
            : "Microsoft.Storage/storageAccounts/queueServices/queues");
}
