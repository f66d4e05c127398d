using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SimpleAi.Functions.Tests.Queues;

/// <summary>
/// One source for the queue transport: the environment's choice (the Bicep's AZURE_QUEUE_TRANSPORT output) reaches the
/// build through azure.yaml's hook, and a build started against settings of the other transport refuses to start.
/// The Bicep side (Queues__Transport, the output) is held by <see cref="InfrastructureTemplateTests"/>.
/// </summary>
[Collection(WholeProcessCollection.Name)]
public sealed class QueueTransportBuildTests : IDisposable
{
    private const string Hook = "infra/hooks/QueueTransportBuild.cs";

    private readonly DirectoryInfo work = Directory.CreateTempSubdirectory("simpleai-transport-");

    public void Dispose() => work.Delete(recursive: true);

    [Fact]
    public void AzureYaml_RunsTheTransportHook_BeforeRestoreAndPackage_AndClearsItAfter()
    {
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "azure.yaml"));
        var api = yaml[yaml.IndexOf("  api:", StringComparison.Ordinal)..];

        foreach (var hook in new[] { "prerestore", "prepackage" })
        {
            var section = Regex.Match(api, $@"      {hook}:\n((?:        .*\n)+)").Groups[1].Value;
            Assert.Equal(2, Regex.Matches(section, $@"run: dotnet run --file {Regex.Escape(Hook)}\n").Count);
        }

        var clear = Regex.Match(api, @"      postpackage:\n((?:        .*\n)+)").Groups[1].Value;
        Assert.Equal(2, Regex.Matches(clear, $@"run: dotnet run --file {Regex.Escape(Hook)} -- --clear\n").Count);
    }

    /// <summary>What each value of the Bicep's output builds: the app's own FunctionsBuild for Storage Queues, the ServiceBus flavour otherwise.</summary>
    [Theory]
    [InlineData("storageQueues", "StorageQueues")]
    [InlineData("serviceBus", "ServiceBus")]
    public async Task TheEnvironmentsTransport_IsTheBuildsQueueTransport(string provisioned, string built)
    {
        var props = Path.Combine(work.FullName, "queue-transport.props");

        var (code, output) = await RunAsync("dotnet", ["run", "--file", Hook], ("AZURE_QUEUE_TRANSPORT", provisioned), ("SIMPLEAI_QUEUE_TRANSPORT_PROPS", props));
        Assert.True(code == 0, output);
        var (_, property) = await RunAsync("dotnet",
            ["msbuild", "src/SimpleAi.Functions/SimpleAi.Functions.csproj", "-getProperty:QueueTransport", $"-p:QueueTransportFile={props}"]);

        Assert.Equal(built, property.Trim());
        Assert.Equal(provisioned, QueueTransportOptionsValidator.SpelledAsBicep(Enum.Parse<QueueTransport>(built)));
        var (cleared, _) = await RunAsync("dotnet", ["run", "--file", Hook, "--", "--clear"], ("SIMPLEAI_QUEUE_TRANSPORT_PROPS", props));
        Assert.Equal(0, cleared);
        Assert.False(File.Exists(props));
    }

    [Fact]
    public async Task AnUnknownTransport_FailsTheHook_NamingIt()
    {
        var (code, output) = await RunAsync("dotnet", ["run", "--file", Hook],
            ("AZURE_QUEUE_TRANSPORT", "eventHubs"), ("SIMPLEAI_QUEUE_TRANSPORT_PROPS", Path.Combine(work.FullName, "x.props")));

        Assert.Equal(1, code);
        Assert.Contains("AZURE_QUEUE_TRANSPORT is 'eventHubs': the queue transport is storageQueues or serviceBus.", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serviceBus", "Queues__Transport says serviceBus, but this build's queue triggers are storageQueues (built with -p:QueueTransport=StorageQueues)")]
    [InlineData("kafka", "Queues__Transport 'kafka' is unknown (known: storageQueues, serviceBus).")]
    public void SettingsOfAnotherTransport_StopTheStart_NamingBoth(string transport, string expected)
    {
        using var app = TestApp.Build(new Dictionary<string, string?> { ["Queues:Transport"] = transport });

        var refused = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<QueueTransportOptions>>().Value);

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("storageQueues")]
    [InlineData("StorageQueues")]
    [InlineData(null)]
    public void SettingsOfTheBuildsTransport_OrNone_Start(string? transport)
    {
        using var app = TestApp.Build(new Dictionary<string, string?> { ["Queues:Transport"] = transport });

        Assert.NotNull(app.GetRequiredService<IOptions<QueueTransportOptions>>().Value);
    }

    /// <summary>The command with the transport variables of this machine's own azd (if any) replaced by <paramref name="environment"/>.</summary>
    private static Task<(int Code, string Output)> RunAsync(string file, string[] arguments, params (string Name, string Value)[] environment)
    {
        var variables = new Dictionary<string, string?> { ["AZURE_QUEUE_TRANSPORT"] = null, ["SIMPLEAI_QUEUE_TRANSPORT"] = null };
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return RepoCommand.RunAsync(file, arguments, variables);
    }
}
