using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace SimpleAi.Webhooks.Storage;

/// <summary>
/// Turns a storage answer "this table / queue / container does not exist" into a
/// <see cref="StorageResourceMissingException"/> naming it, for every request of a client whose options carry this
/// policy (<see cref="AddTo"/>). Placed per call, so it sees the final answer after the SDK's retries.
/// </summary>
public sealed class MissingResourcePolicy : HttpPipelineSynchronousPolicy
{
    public static readonly MissingResourcePolicy Instance = new();

    private MissingResourcePolicy()
    {
    }

    public static T AddTo<T>(T options)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(Instance, HttpPipelinePosition.PerCall);
        return options;
    }

    public override void OnReceivedResponse(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Response.Status != 404 || ErrorCodeOf(message.Response) is not { } code)
        {
            return;
        }

        var uri = message.Request.Uri.ToUri();
        var missing = code switch
        {
            "TableNotFound" => ("table", new TableUriBuilder(uri).Tablename.Split('(')[0]),
            "QueueNotFound" => ("queue", new QueueUriBuilder(uri).QueueName),
            "ContainerNotFound" => ("blob container", new BlobUriBuilder(uri).BlobContainerName),
            _ => default,
        };
        if (missing.Item1 is not null)
        {
            throw new StorageResourceMissingException(missing.Item1, missing.Item2, message.Response.Status, code);
        }
    }

    /// <summary>The header every storage service sets; the table service's JSON error body names the code too.</summary>
    private static string? ErrorCodeOf(Response response) =>
        response.Headers.TryGetValue("x-ms-error-code", out var code) ? code
        : response.Content is { } body && body.ToMemory().Span.IndexOf("\"TableNotFound\""u8) >= 0 ? "TableNotFound"
        : null;
}
