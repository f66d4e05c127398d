// Failures: failed runs of a window grouped by step and cause, each poison queue's depth, and replay of one call,
// one group (one step's failures) or everything.
import { fill, h, show, time, say } from './dom.js';
import { get } from './api.js';
import { replay } from './replay.js';

const ranges = [['1', 'Last hour'], ['6', 'Last 6 hours'], ['24', 'Last 24 hours'], ['168', 'Last 7 days']];

export async function failuresView(params) {
  const hours = params.get('hours') ?? '24';
  const range = h('select', { id: 'hours' }, ranges.map(([value, label]) => h('option', { value, selected: value === hours }, label)));
  range.addEventListener('change', () => { location.hash = `#/failures?hours=${range.value}`; });
  const groups = h('section', { 'aria-labelledby': 'groups' });
  const poison = h('section', { 'aria-labelledby': 'poison' });
  show(h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: 'hours' }, 'Time range'), range)), groups, poison);

  async function load() {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - Number(hours) * 3_600_000);
    const report = await get('failures', { from: from.toISOString(), to: to.toISOString() });
    renderGroups(groups, report, load);
    renderPoison(poison, report.poison, load);
  }
  await load();
  const timer = setInterval(() => { if (!document.getElementById('confirm').open) load().catch(() => {}); }, 10_000);
  return () => clearInterval(timer);
}

function renderGroups(section, report, reload) {
  const total = report.groups.reduce((sum, g) => sum + g.count, 0);
  fill(section,
    h('h2', { id: 'groups' }, `Failed runs (${total})`),
    report.truncated ? h('p', { class: 'warning' }, `Only the newest ${report.scanned} calls were read: narrow the time range to see older failures.`) : null,
    report.groups.length === 0 ? h('p', { class: 'muted' }, 'No failed run in this time range.') : report.groups.map((group, i) => {
      const step = group.step;
      const all = h('button', { type: 'button' }, `Replay ${step}'s failures`);
      all.addEventListener('click', async () => { if (await replay({ queue: `step-${step}-poison`, call_id: null }, `step ${step}`)) await reload(); });
      return h('section', { class: 'group', 'aria-labelledby': `group-${i}` },
        h('h3', { id: `group-${i}` }, `${step}: ${group.cause} (${group.count})`),
        all,
        h('ul', { class: 'failed-calls' }, group.calls.map(call => {
          const one = h('button', { type: 'button', class: 'link', 'aria-label': `Replay call ${call.call_id}` }, 'Replay');
          one.addEventListener('click', async () => { if (await replay({ queue: `step-${step}-poison`, call_id: call.call_id }, `call ${call.call_id}`)) await reload(); });
          return h('li', {}, h('a', { href: `#/calls/${call.call_id}?at=${encodeURIComponent(call.started_at)}`, class: 'mono' }, call.call_id), ' ', time(call.started_at, true), ' ', one);
        })));
    }));
}

function renderPoison(section, queues, reload) {
  const waiting = queues.reduce((sum, q) => sum + (q.messages ?? 0), 0);
  const all = h('button', { type: 'button', disabled: waiting === 0 }, 'Replay everything');
  all.addEventListener('click', async () => { if (await replay({ queue: null, call_id: null }, 'any queue')) await reload(); });
  fill(section,
    h('h2', { id: 'poison' }, `Poison queues (${waiting} message${waiting === 1 ? '' : 's'})`),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Queue', 'Poison queue', 'Messages'].map(n => h('th', { scope: 'col' }, n)))),
      h('tbody', {}, queues.map(q => h('tr', {},
        h('td', { 'data-label': 'Queue' }, q.queue),
        h('td', { 'data-label': 'Poison queue', class: 'mono' }, q.poison_queue),
        h('td', { 'data-label': 'Messages' }, q.messages ?? 'see the CLI')))))),
    all);
  if (waiting === 0) say('');
}
