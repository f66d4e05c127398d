using System.Security.Cryptography;
using System.Text;
using SimpleAi.Webhooks.Workflow;

namespace SimpleAi.Webhooks.Queues;

/// <summary>
/// The application properties a re-sent Service Bus message carries (see <see cref="ServiceBusFailedTries"/>), and how
/// a trigger reads its <see cref="QueueDelivery"/> back from them: the id of the first delivery (stable across re-sends,
/// as a Storage message id is across redeliveries) and the tries spent before this copy.
/// </summary>
public static class ServiceBusRetries
{
    public const string DeliveryIdProperty = "simpleai-delivery-id";

    public const string PriorTriesProperty = "simpleai-prior-tries";

    /// <param name="sequenceNumber">The broker's sequence number of this copy.</param>
    /// <param name="deliveryCount">The broker's delivery count of this copy (1 on its first delivery).</param>
    /// <param name="applicationProperties">
    /// The trigger's <c>ApplicationProperties</c> binding data, which the isolated worker receives as a JSON object
    /// string (azure-functions-dotnet-worker GrpcFunctionBindingsFeature: Json typed data stays a string).
    /// </param>
    public static QueueDelivery DeliveryOf(string sequenceNumber, long deliveryCount, string? applicationProperties)
    {
        ArgumentNullException.ThrowIfNull(sequenceNumber);
        var properties = Read(applicationProperties);
        var id = properties.GetValueOrDefault(DeliveryIdProperty) is { Length: > 0 } first ? first : sequenceNumber;
        var prior = long.TryParse(properties.GetValueOrDefault(PriorTriesProperty), NumberStyles.None, CultureInfo.InvariantCulture, out var tries)
            ? tries
            : 0;
        return new QueueDelivery(id, prior + Math.Max(1, deliveryCount));
    }

    /// <summary>The properties' JSON object, as the isolated worker passes it; anything else has none of ours.</summary>
    private static Dictionary<string, string?> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().ToDictionary(
                    p => p.Name,
                    p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText(),
                    StringComparer.Ordinal)
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

/// <summary>
/// Service Bus takes a <c>MessageId</c> of at most 128 characters, and Simple AI's event ids may have up to 256
/// (<see cref="Events.EnvelopeParser.MaxEventIdLength"/>). A longer id is sent as <c>sha256:</c> and the hex of its
/// SHA-256: stable, so broker duplicate detection still sees two deliveries of one event as one.
/// </summary>
public static class ServiceBusMessageIds
{
    public const int MaxLength = 128;

    private const string HashedPrefix = "sha256:";

    public static string For(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length <= MaxLength
            ? id
            : HashedPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
    }
}
