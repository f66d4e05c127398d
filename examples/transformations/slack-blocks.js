// Slack: post each call to a channel as Block Kit blocks through an incoming webhook (the step's own Url).
// { text, blocks: [header, section with fields, context] }: text is the fallback shown in notifications; a header
// holds plain_text (150 characters at most), a section up to 10 mrkdwn fields, a context small mrkdwn elements
// (https://api.slack.com/reference/block-kit/blocks, https://docs.slack.dev/reference/block-kit/blocks/header-block).
function handler(webhook) {
  const doc = webhook.payload;
  const call = doc.call;
  // Unanswered calls are not worth a message: skip the delivery (the step is recorded as skipped).
  if (call.answered_by === "no_answer") {
    return { cancel: true };
  }

  const title = `Call from ${call.from_number}: ${doc.outcome || call.status}`;
  const field = (name, value) => ({ type: "mrkdwn", text: `*${name}*\n${value}` });
  webhook.payload = {
    text: `${title}. ${doc.summary || ""}`.trim(),
    blocks: [
      { type: "header", text: { type: "plain_text", text: title.slice(0, 150) } },
      {
        type: "section",
        fields: [
          field("Direction", call.direction),
          field("Answered by", call.answered_by),
          field("Duration", `${Math.round(call.duration || 0)} s`),
          field("Tags", doc.tags.length > 0 ? doc.tags.join(", ") : "none"),
          field("Summary", doc.summary || "none"),
        ],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: `Simple AI call \`${doc.call_id}\`` }] },
    ],
  };
  return webhook;
}
