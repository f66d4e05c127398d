// Call: the live transcript (new lines polled every 500 ms while the call is live), deliveries, keyword triggers, the
// pre-call answer and the run's timeline (refreshed every 2 s until the run is done).
import { fill, h, show, time, badge, say } from './dom.js';
import { get } from './api.js';
import { replay } from './replay.js';

const TranscriptPoll = 500;
const DetailPoll = 2000;

export async function callView(callId, params) {
  const at = params.get('at') ?? '';
  let detail = await get(`calls/${callId}`, { at });
  const facts = h('section', { 'aria-labelledby': 'facts' });
  const transcript = h('ol', { class: 'transcript' });
  const deliveries = h('section', { 'aria-labelledby': 'deliveries' });
  const triggers = h('section', { 'aria-labelledby': 'triggers' });
  const run = h('section', { 'aria-labelledby': 'run' });
  const preCall = h('section', { 'aria-labelledby': 'precall' });
  show(
    h('p', {}, h('a', { href: '#/calls' }, '← All calls')),
    facts,
    h('div', { class: 'columns' },
      h('section', { 'aria-labelledby': 'transcript-title', class: 'transcript-box' },
        h('h2', { id: 'transcript-title' }, 'Transcript'),
        h('div', { role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'transcript-title' }, transcript)),
      h('div', {}, run, preCall, deliveries, triggers)));

  let next = 0;
  function addLines(lines) {
    for (const line of lines) {
      if (line.index < next) continue;
      const role = line.function_name ? 'function' : line.role ?? 'unknown';
      const who = line.function_name ? `Function call: ${line.function_name}` : label(line.role);
      transcript.append(h('li', { class: `line line-${role.replace(/[^a-z]/g, '')}`, 'data-index': line.index },
        h('span', { class: 'who' }, who), ' ',
        line.timestamp ? time(line.timestamp) : null, ' ',
        h('span', { class: 'text' }, line.function_name ? (line.text || '(no spoken text)') : line.text ?? '')));
      next = line.index + 1;
    }
    if (transcript.childElementCount === 0 && !transcript.querySelector('.empty')) transcript.append(h('li', { class: 'empty muted' }, 'No transcript lines yet.'));
    if (transcript.childElementCount > 1) transcript.querySelector('.empty')?.remove();
  }

  function render() {
    renderFacts(facts, detail);
    renderDeliveries(deliveries, detail.deliveries);
    renderTriggers(triggers, detail.triggers);
    renderRun(run, detail, callId, refresh);
    renderPreCall(preCall, detail.pre_call);
  }
  async function refresh() {
    detail = await get(`calls/${callId}`, { at });
    render();
  }

  render();
  addLines(detail.transcript ?? []);
  let stopped = false;
  const pollTranscript = async () => {
    if (stopped) return;
    try {
      const page = await get(`calls/${callId}/transcript`, { since: String(next) });
      addLines(page.lines);
    } catch { /* shown on the next full refresh */ }
    if (!stopped) transcriptTimer = setTimeout(pollTranscript, detail.call?.live === false ? DetailPoll * 5 : TranscriptPoll);
  };
  let transcriptTimer = setTimeout(pollTranscript, TranscriptPoll);
  const detailTimer = setInterval(() => refresh().catch(() => {}), DetailPoll);
  return () => {
    stopped = true;
    clearTimeout(transcriptTimer);
    clearInterval(detailTimer);
  };
}

function label(role) {
  return role === 'assistant' || role === 'agent' ? 'Agent' : role === 'user' ? 'Caller' : role ?? 'Unknown';
}

function renderFacts(section, detail) {
  const call = detail.call;
  fill(section,
    h('h2', { id: 'facts', class: 'mono' }, detail.call_id),
    h('dl', { class: 'facts' },
      fact('Call', badge(call ? (call.live ? 'live' : 'ended') : 'unknown')),
      fact('Run', badge(detail.run?.status ?? null)),
      fact('From', call?.from_masked ?? '–'),
      fact('To', call?.to_masked ?? '–'),
      fact('Started', time(call?.started_at, true)),
      fact('Ended', time(call?.ended_at, true)),
      fact('Direction', call?.direction ?? '–'),
      detail.telemetry_link ? fact('Telemetry', h('a', { href: detail.telemetry_link, rel: 'noreferrer', target: '_blank' }, 'Transactions in Application Insights')) : null));
}

function fact(name, value) {
  return [h('dt', {}, name), h('dd', {}, value)];
}

function renderDeliveries(section, deliveries) {
  const duplicates = deliveries.filter(d => d.duplicate).length;
  fill(section,
    h('h2', { id: 'deliveries' }, `Deliveries (${deliveries.length - duplicates} received, ${duplicates} duplicate${duplicates === 1 ? '' : 's'})`),
    deliveries.length === 0 ? h('p', { class: 'muted' }, 'None recorded.') : h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Type', 'Event', 'Attempt', 'Received', 'Duplicate'].map(n => h('th', { scope: 'col' }, n)))),
      h('tbody', {}, deliveries.map(d => h('tr', {},
        h('td', { 'data-label': 'Type' }, d.event_type ?? '–'),
        h('td', { 'data-label': 'Event', class: 'mono' }, d.event_id),
        h('td', { 'data-label': 'Attempt' }, d.attempt ?? '–'),
        h('td', { 'data-label': 'Received' }, time(d.received_at)),
        h('td', { 'data-label': 'Duplicate' }, d.duplicate ? 'duplicate' : d.routed ? 'no' : 'not routed yet')))))));
}

// What the agent was told before the call: parameter names only (their values are the caller's data).
function renderPreCall(section, answer) {
  if (!answer) {
    fill(section, h('h2', { id: 'precall' }, 'Pre-call answer'),
      h('p', { class: 'muted' }, 'None found (no pre-call hook, or the call has not been fetched yet).'));
    return;
  }
  const words = text => text.replace(/_/g, ' ');
  fill(section,
    h('h2', { id: 'precall' }, 'Pre-call answer'),
    h('p', { class: 'muted' }, 'Answered ', time(answer.answered_at, true), ` to ${answer.caller_masked ?? '–'} in ${answer.milliseconds.toFixed(0)} ms`),
    h('dl', { class: 'facts' },
      fact('Parameters', answer.parameters.length === 0 ? 'none' : answer.parameters.join(', ')),
      fact('Sources', answer.sources.length === 0 ? 'none' : answer.sources.map(s => `${s.source} ${words(s.outcome)} ${s.milliseconds.toFixed(0)} ms`).join('; ')),
      answer.rules.length === 0 ? null : fact('Rules', answer.rules.map(r => `${r.parameter} ${words(r.outcome)}`).join('; ')),
      fact('Transformation', answer.transform)));
}

function renderTriggers(section, triggers) {
  fill(section,
    h('h2', { id: 'triggers' }, 'Keyword triggers fired'),
    triggers.length === 0 ? h('p', { class: 'muted' }, 'None.') : h('ul', {}, triggers.map(t =>
      h('li', {}, `${t.name} → step ${t.step}: `, badge(t.status), ' ', time(t.created_at)))));
}

function renderRun(section, detail, callId, refresh) {
  const run = detail.run;
  if (!run) {
    fill(section, h('h2', { id: 'run' }, 'Run'), h('p', { class: 'muted' }, 'No run yet (a run starts when the call completes).'));
    return;
  }
  const focused = section.contains(document.activeElement) ? document.activeElement.id : null;
  fill(section,
    h('h2', { id: 'run' }, 'Run ', badge(run.status)),
    h('p', { class: 'muted' }, 'Started ', time(run.created_at, true), ` by ${run.event_id}`),
    h('ol', { class: 'timeline' }, run.steps.map(step => renderStep(step, callId, refresh))));
  if (focused) document.getElementById(focused)?.focus();
}

function renderStep(step, callId, refresh) {
  const failed = step.status === 'failed';
  const button = failed ? h('button', { type: 'button', id: `replay-${step.step}` }, `Replay ${step.step}`) : null;
  button?.addEventListener('click', async () => {
    button.disabled = true;
    try {
      if (await replay({ queue: step.poison_queue, call_id: callId }, `step ${step.step} of this call`)) await refresh();
    } finally {
      button.disabled = false;
    }
  });
  return h('li', { class: `step step-${step.status.replace(/[^a-z]/g, '')}`, 'data-step': step.step },
    h('h3', {}, step.step, ' ', badge(step.status)),
    h('dl', { class: 'facts' },
      fact('Rule', step.rule),
      step.skipped_because ? fact('Skipped because', step.skipped_because) : null,
      step.destination_host ? fact('Destination', step.destination_host) : null,
      fact('Tries', String(step.tries)),
      step.next_try_at ? fact('Next try', time(step.next_try_at)) : null,
      step.error ? fact('Error', h('span', { class: 'error-text' }, step.error)) : null),
    step.attempts.length === 0 ? null : h('table', { class: 'tries' },
      h('caption', { class: 'visually-hidden' }, `Tries of ${step.step}`),
      h('thead', {}, h('tr', {}, ['Try', 'At', 'Outcome', 'Next try'].map(n => h('th', { scope: 'col' }, n)))),
      h('tbody', {}, step.attempts.map(t => h('tr', {},
        h('td', { 'data-label': 'Try' }, String(t.attempt)),
        h('td', { 'data-label': 'At' }, time(t.at)),
        h('td', { 'data-label': 'Outcome' }, t.outcome),
        h('td', { 'data-label': 'Next try' }, time(t.next_at)))))),
    button);
}
