using System.Text;
using System.Text.Json;
using SimpleAi.Webhooks.Json;
using SimpleAi.Webhooks.Signing;

namespace SimpleAi.Cli.Commands;

/// <summary>What <c>send</c> was asked to do, from its options.</summary>
internal sealed record SendPlan(
    string EventType, Uri Url, WebhookSecret Secret, Guid? CallId, byte[]? Body, int Count, int Concurrency, double Rate, double DuplicateRatio, TimeSpan Timeout)
{
    /// <summary>
    /// The deliveries in order: every <c>1/ratio</c>-th one repeats the one before it (same body, same webhook-id),
    /// so exactly <c>round(count x ratio)</c> are duplicates.
    /// </summary>
    public List<Delivery> Deliveries()
    {
        var duplicates = (int)Math.Round(Count * DuplicateRatio);
        var list = new List<Delivery>(Count);
        for (var i = 0; i < Count; i++)
        {
            var repeat = list.Count > 0 && duplicates > 0 && (long)i * duplicates / Count != (long)(i + 1) * duplicates / Count;
            list.Add(repeat ? list[^1] : New());
        }

        return list;
    }

    private Delivery New()
    {
        var body = Body ?? Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            event_type = EventType,
            event_id = "evt_" + Guid.NewGuid().ToString("N"),
            payload = new { call_id = (CallId ?? Guid.NewGuid()).ToString("D"), attempt = 1 },
        }, OutboundJson.SerializerOptions));
        return new Delivery(StandardWebhookSigner.NewMessageId(), body);
    }
}

/// <summary>One delivery: its <c>webhook-id</c> and body (a duplicate repeats both).</summary>
internal sealed record Delivery(string WebhookId, byte[] Body);
