// azd service hook of `api` (azure.yaml: prerestore, prepackage; postpackage with --clear): makes azd build the app
// with the queue transport its environment provisioned, so a Storage Queues build never lands on the Service Bus
// infrastructure (or the other way round), where its triggers would listen on queues that do not exist.
//
// The transport is the Bicep's output AZURE_QUEUE_TRANSPORT (what `azd provision` deployed), else the parameter
// SIMPLEAI_QUEUE_TRANSPORT (what the next provision will deploy), else storageQueues. It is written as the MSBuild
// property QueueTransport to .azure/queue-transport.props, which Directory.Build.props imports while the file exists;
// postpackage removes it again, so builds outside azd keep the default (a -p:QueueTransport=… given by hand wins
// either way). The app checks the same value at start-up (app setting Queues__Transport).
//
// Run by azd as `dotnet run --file infra/hooks/QueueTransportBuild.cs [--clear]`. SIMPLEAI_QUEUE_TRANSPORT_PROPS
// writes the file elsewhere (tests).
var file = Environment.GetEnvironmentVariable("SIMPLEAI_QUEUE_TRANSPORT_PROPS") is { Length: > 0 } given
    ? given
    : Path.Combine(Directory.GetCurrentDirectory(), ".azure", "queue-transport.props");

if (args.Contains("--clear"))
{
    File.Delete(file);
    return 0;
}

var chosen = new[] { "AZURE_QUEUE_TRANSPORT", "SIMPLEAI_QUEUE_TRANSPORT" }
    .Select(name => (Name: name, Value: Environment.GetEnvironmentVariable(name)?.Trim()))
    .FirstOrDefault(setting => !string.IsNullOrEmpty(setting.Value));
string? property = (chosen.Value ?? "storageQueues").ToLowerInvariant() switch
{
    "storagequeues" => "StorageQueues",
    "servicebus" => "ServiceBus",
    _ => null,
};
if (property is null)
{
    Console.Error.WriteLine($"{chosen.Name} is '{chosen.Value}': the queue transport is storageQueues or serviceBus.");
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
File.WriteAllText(file, $"""
    <Project>
      <!-- Written by infra/hooks/QueueTransportBuild.cs for azd ({chosen.Name ?? "default"}); removed after azd packages the app. -->
      <PropertyGroup>
        <QueueTransport Condition="'$(QueueTransport)' == ''">{property}</QueueTransport>
      </PropertyGroup>
    </Project>

    """);
Console.WriteLine($"Building the app with QueueTransport={property} ({chosen.Name ?? "the default"}).");
return 0;
