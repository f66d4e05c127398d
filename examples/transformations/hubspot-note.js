// HubSpot: log each call as a note on the caller's contact record.
// Creates a note with the CRM v3 notes API: POST https://api.hubapi.com/crm/v3/objects/notes with
// { properties: { hs_timestamp, hs_note_body }, associations: [{ to: { id }, types: [{ associationCategory, associationTypeId }] }] }
// (https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide; 202 is HubSpot's note-to-contact type).
//
// HubSpot wants "Authorization: Bearer <private app token>". A transformation has no secret store and this file
// ships with the app, so do NOT paste the token here: point the step at a relay you run that adds it, or see the
// README's "Transformations" section.
const HUBSPOT_NOTES_URL = "https://api.hubapi.com/crm/v3/objects/notes";
const NOTE_TO_CONTACT = 202;

function handler(webhook) {
  const doc = webhook.payload;
  const call = doc.call;
  const lines = [
    `Simple AI call ${doc.call_id}: ${call.direction} ${call.from_number} → ${call.to_number}, ${minutes(call.duration)}, answered by ${call.answered_by}.`,
  ];
  if (doc.outcome) lines.push(`Outcome: ${doc.outcome}`);
  if (doc.summary) lines.push(doc.summary);
  if (doc.tags.length > 0) lines.push(`Tags: ${doc.tags.join(", ")}`);
  for (const analysis of doc.analysis) lines.push(`${analysis.prompt}: ${analysis.result}`);

  const contactId = doc.external_identifiers && doc.external_identifiers.crm_contact_id;
  webhook.url = HUBSPOT_NOTES_URL;
  webhook.payload = {
    properties: {
      hs_timestamp: new Date(call.ended_at || call.started_at).toISOString(),
      hs_note_body: lines.join("\n"),
    },
    associations: contactId
      ? [{ to: { id: contactId }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: NOTE_TO_CONTACT }] }]
      : [],
  };
  return webhook;
}

function minutes(seconds) {
  if (seconds == null) return "duration unknown";
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
