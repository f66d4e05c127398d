namespace SimpleAi.Webhooks.Storage;

/// <summary>
/// A table, queue or blob container the app uses does not exist (404 <c>TableNotFound</c>, <c>QueueNotFound</c>,
/// <c>ContainerNotFound</c>). The app never creates storage on its hot path, so this names the resource and how it is
/// provisioned. Still a <see cref="RequestFailedException"/> (same status and error code): whoever handles a failing
/// storage request (ingest answers 503, a step's try fails and is retried) handles this one the same way.
/// </summary>
public sealed class StorageResourceMissingException : RequestFailedException
{
    public StorageResourceMissingException(string kind, string name, int status, string errorCode)
        : base(status, Describe(kind, name, errorCode), errorCode, null)
    {
        Kind = kind;
        Name = name;
    }

    public StorageResourceMissingException(string message)
        : base(message)
    {
    }

    public StorageResourceMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StorageResourceMissingException()
        : base("A storage resource the app uses does not exist.")
    {
    }

    /// <summary><c>table</c>, <c>queue</c> or <c>blob container</c>.</summary>
    public string Kind { get; } = string.Empty;

    public string Name { get; } = string.Empty;

    private static string Describe(string kind, string name, string errorCode) =>
        $"The storage {kind} '{name}' does not exist ({errorCode}). The app does not create storage while it runs: " +
        "in Azure the Bicep in infra/ provisions every table, queue and blob container (azd provision); " +
        "locally the local host (SimpleAi.LocalHost) creates them at start.";
}
