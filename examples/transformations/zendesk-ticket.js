// Zendesk: open a ticket for each call that needs a human.
// Creates a ticket with the Support API: POST https://<subdomain>.zendesk.com/api/v2/tickets.json with
// { ticket: { subject, comment: { body }, priority, tags, external_id } }
// (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#create-ticket; priority is one of
// urgent, high, normal, low; tags carry no spaces; external_id links the ticket to the call).
//
// Zendesk wants "Authorization: Basic <email/token:api_token>" (or a Bearer OAuth token). A transformation has no
// secret store and this file ships with the app, so do NOT paste the token here: see the README.
const ZENDESK_SUBDOMAIN = "example";

function handler(webhook) {
  const doc = webhook.payload;
  const call = doc.call;
  const escalated = doc.tags.includes("escalation");
  const negative = doc.analysis.some((a) => a.prompt === "Caller sentiment" && a.result === "negative");

  const body = [
    doc.summary || "No summary.",
    "",
    `Caller: ${call.from_number} (${call.direction}, answered by ${call.answered_by})`,
    `Outcome: ${doc.outcome || "unknown"}`,
    `Recording: ${call.recording_url || "none"}`,
    `Simple AI call: ${doc.call_id}`,
  ].join("\n");

  webhook.url = `https://${ZENDESK_SUBDOMAIN}.zendesk.com/api/v2/tickets.json`;
  webhook.payload = {
    ticket: {
      subject: `Call from ${call.from_number}: ${doc.outcome || "follow-up needed"}`.slice(0, 150),
      comment: { body },
      priority: escalated && negative ? "urgent" : escalated ? "high" : "normal",
      tags: ["simple_ai", ...doc.tags.map((t) => t.toLowerCase().replace(/\s+/g, "_"))],
      external_id: doc.call_id,
    },
  };
  return webhook;
}
