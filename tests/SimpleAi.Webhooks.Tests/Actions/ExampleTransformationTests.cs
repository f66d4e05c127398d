using System.Text.Json.Nodes;
using SimpleAi.Webhooks.Actions;
using SimpleAi.Webhooks.Actions.Transformations;
using SimpleAi.Webhooks.Signing;
using SimpleAi.Webhooks.SimpleAiApi;

namespace SimpleAi.Webhooks.Tests.Actions;

/// <summary>
/// The shipped examples (examples/transformations) run against the fixture call's document, as the document builder
/// makes it, and give exactly the request their receiver's API documents.
/// </summary>
public sealed class ExampleTransformationTests
{
    private const string CallId = "123e4567-e89b-12d3-a456-426614174000";

    private static readonly Uri StepUrl = new("https://hooks.slack.example.test/services/T000/B000/secret");

    private static OutboundRequest FixtureDocument(string step, Func<JsonObject, JsonObject>? change = null)
    {
        var fixture = JsonNode.Parse(RepoPaths.FixtureBytes("get-call-completed.json"))!.AsObject();
        var call = JsonSerializer.Deserialize<SimpleAiCall>((change?.Invoke(fixture) ?? fixture).ToJsonString(), SimpleAiClient.JsonOptions)!;
        var context = new StepContext(CallId, CallId, "evt_fixture", step, new Dictionary<string, string>(), 1, $"{CallId}:{step}");
        return OutboundRequest.Post(StepUrl, OutboundFormats.DocumentOf(context, call, includeTranscript: false));
    }

    private static OutboundRequest? Run(string example, OutboundRequest document)
    {
        var path = Path.Combine(RepoPaths.Root, "examples", "transformations", example);
        return Transformation.Load(path, example).Apply(document, CancellationToken.None);
    }

    private static void AssertJson(string expected, byte[] actual)
    {
        var text = Encoding.UTF8.GetString(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(text)), text);
    }

    [Fact]
    public void HubSpotNote_IsANoteOnTheCallersContact()
    {
        var request = Run("hubspot-note.js", FixtureDocument("crm-sync"))!;

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://api.hubapi.com/crm/v3/objects/notes"), request.Url);
        Assert.Empty(request.Headers);
        AssertJson("""
            {
              "properties": {
                "hs_timestamp": "2026-04-12T14:36:47.000Z",
                "hs_note_body": "Simple AI call 123e4567-e89b-12d3-a456-426614174000: inbound +15551234567 → +15557654321, 6:45, answered by human.\nOutcome: refund_requested\nCaller was double-charged in April and asked for a refund and a call back today.\nTags: billing, escalation\nDid the caller request a refund?: true\nCaller sentiment: negative"
              },
              "associations": [
                { "to": { "id": "C-10442" }, "types": [ { "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202 } ] }
              ]
            }
            """, request.Body);
    }

    [Fact]
    public void ZendeskTicket_IsAnUrgentTicketForAnEscalatedUnhappyCaller()
    {
        var request = Run("zendesk-ticket.js", FixtureDocument("ticket"))!;

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://example.zendesk.com/api/v2/tickets.json"), request.Url);
        AssertJson("""
            {
              "ticket": {
                "subject": "Call from +15551234567: refund_requested",
                "comment": { "body": "Caller was double-charged in April and asked for a refund and a call back today.\n\nCaller: +15551234567 (inbound, answered by human)\nOutcome: refund_requested\nRecording: https://recordings.example.invalid/123e4567.wav?sig=abc\nSimple AI call: 123e4567-e89b-12d3-a456-426614174000" },
                "priority": "urgent",
                "tags": ["simple_ai", "billing", "escalation"],
                "external_id": "123e4567-e89b-12d3-a456-426614174000"
              }
            }
            """, request.Body);
    }

    [Fact]
    public void SlackBlocks_AreAHeaderFieldsAndContextToTheStepsOwnWebhook()
    {
        var request = Run("slack-blocks.js", FixtureDocument("notify"))!;

        Assert.Equal(StepUrl, request.Url);
        AssertJson("""
            {
              "text": "Call from +15551234567: refund_requested. Caller was double-charged in April and asked for a refund and a call back today.",
              "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": "Call from +15551234567: refund_requested" } },
                { "type": "section", "fields": [
                  { "type": "mrkdwn", "text": "*Direction*\ninbound" },
                  { "type": "mrkdwn", "text": "*Answered by*\nhuman" },
                  { "type": "mrkdwn", "text": "*Duration*\n405 s" },
                  { "type": "mrkdwn", "text": "*Tags*\nbilling, escalation" },
                  { "type": "mrkdwn", "text": "*Summary*\nCaller was double-charged in April and asked for a refund and a call back today." }
                ] },
                { "type": "context", "elements": [ { "type": "mrkdwn", "text": "Simple AI call `123e4567-e89b-12d3-a456-426614174000`" } ] }
              ]
            }
            """, request.Body);
    }

    [Fact]
    public void SlackBlocks_CancelAnUnansweredCall()
    {
        var unanswered = FixtureDocument("notify", call =>
        {
            call["answered_by"] = "no_answer";
            return call;
        });

        Assert.Null(Run("slack-blocks.js", unanswered));
    }
}
