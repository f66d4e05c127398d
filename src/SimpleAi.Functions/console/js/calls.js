// Calls: newest first, the last 24 hours by default, a page at a time, refreshing itself every 5 s.
import { fill, h, show, time, duration, badge, say } from './dom.js';
import { get } from './api.js';

const filters = [['', 'All'], ['live', 'Live'], ['running', 'Running'], ['failed', 'Failed'], ['completed', 'Completed']];
const ranges = [['1', 'Last hour'], ['6', 'Last 6 hours'], ['24', 'Last 24 hours'], ['168', 'Last 7 days']];

export async function callsView(params) {
  const state = {
    filter: params.get('filter') ?? '',
    q: params.get('q') ?? '',
    hours: params.get('hours') ?? '24',
    after: params.get('after') ?? '',
  };
  const query = () => {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - Number(state.hours) * 3_600_000 - 60_000);
    return { from: from.toISOString(), to: to.toISOString(), filter: state.filter, q: state.q, after: state.after };
  };

  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Find calls' },
    h('div', { class: 'field' },
      h('label', { for: 'q' }, 'Call id, event id or caller number'),
      h('input', { id: 'q', name: 'q', type: 'search', value: state.q, autocomplete: 'off', spellcheck: 'false' })),
    h('div', { class: 'field' },
      h('label', { for: 'filter' }, 'Status'),
      h('select', { id: 'filter', name: 'filter' }, filters.map(([value, label]) => h('option', { value, selected: value === state.filter }, label)))),
    h('div', { class: 'field' },
      h('label', { for: 'hours' }, 'Time range'),
      h('select', { id: 'hours', name: 'hours' }, ranges.map(([value, label]) => h('option', { value, selected: value === state.hours }, label)))),
    h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const name of ['q', 'filter', 'hours']) if (data.get(name) && !(name === 'hours' && data.get(name) === '24')) next.set(name, data.get(name).trim());
    location.hash = `#/calls${next.size ? `?${next}` : ''}`;
  });
  for (const select of form.querySelectorAll('select')) select.addEventListener('change', () => form.requestSubmit());

  const body = h('tbody');
  const table = h('table', { class: 'calls' },
    h('caption', { class: 'visually-hidden' }, 'Calls, newest first'),
    h('thead', {}, h('tr', {}, ['Call', 'From', 'To', 'Started', 'Ended', 'Duration', 'Call status', 'Run', 'Numbers']
      .map(name => h('th', { scope: 'col' }, name)))),
    body);
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  const summary = h('p', { class: 'muted', id: 'calls-summary' });
  show(form, summary, h('div', { class: 'table-wrap' }, table), pager);

  const revealed = new Set();
  let last = '';
  async function load(announce) {
    const page = await get('calls', query());
    const signature = JSON.stringify(page.calls);
    if (signature !== last) {
      last = signature;
      fill(body, ...page.calls.map(call => row(call, revealed)));
      if (page.calls.length === 0) body.append(h('tr', {}, h('td', { colspan: 9 }, state.q ? `No call matches “${state.q}” in this time range.` : 'No calls in this time range.')));
    }
    summary.textContent = `${page.calls.length} call${page.calls.length === 1 ? '' : 's'}${state.after ? ' (older page)' : ''}; updated ${new Date().toLocaleTimeString()}.`;
    fill(pager, ...[
      state.after ? h('a', { href: `#/calls${linkWith(state, '')}` }, 'Newest') : null,
      page.next ? h('a', { href: `#/calls${linkWith(state, page.next)}`, rel: 'next' }, 'Older calls') : null,
    ].filter(Boolean));
    if (announce) say(`${page.calls.length} calls shown.`);
  }
  await load(true);
  const timer = setInterval(() => { if (!state.after) load(false).catch(() => {}); }, 5000);
  return () => clearInterval(timer);
}

function linkWith(state, after) {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.filter) params.set('filter', state.filter);
  if (state.hours !== '24') params.set('hours', state.hours);
  if (after) params.set('after', after);
  return params.size ? `?${params}` : '';
}

function row(call, revealed) {
  const shown = revealed.has(call.call_id);
  const from = h('td', { 'data-label': 'From', class: 'number' }, shown ? call.from ?? '–' : call.from_masked ?? '–');
  const to = h('td', { 'data-label': 'To', class: 'number' }, shown ? call.to ?? '–' : call.to_masked ?? '–');
  const reveal = h('button', { type: 'button', class: 'link', 'aria-pressed': String(shown), 'aria-label': `Show numbers of call ${call.call_id.slice(0, 8)}` }, shown ? 'Hide' : 'Show');
  reveal.addEventListener('click', () => {
    const now = !revealed.has(call.call_id);
    if (now) revealed.add(call.call_id); else revealed.delete(call.call_id);
    from.textContent = now ? call.from ?? '–' : call.from_masked ?? '–';
    to.textContent = now ? call.to ?? '–' : call.to_masked ?? '–';
    reveal.textContent = now ? 'Hide' : 'Show';
    reveal.setAttribute('aria-pressed', String(now));
  });
  const at = encodeURIComponent(call.started_at);
  return h('tr', { 'data-call': call.call_id },
    h('th', { scope: 'row', 'data-label': 'Call' }, h('a', { href: `#/calls/${call.call_id}?at=${at}`, class: 'mono' }, call.call_id)),
    from, to,
    h('td', { 'data-label': 'Started' }, time(call.started_at, true)),
    h('td', { 'data-label': 'Ended' }, time(call.ended_at)),
    h('td', { 'data-label': 'Duration' }, duration(call.duration_seconds)),
    h('td', { 'data-label': 'Call status' }, badge(call.live ? 'live' : 'ended')),
    h('td', { 'data-label': 'Run' }, badge(call.run)),
    h('td', { 'data-label': 'Numbers' }, reveal));
}
