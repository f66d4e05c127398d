// Destinations: each action step's destination, its state, failure streak, last error and success, next probe and rate
// limit; pause with a reason, resume.
import { fill, h, show, time, badge, say } from './dom.js';
import { get, post } from './api.js';

export async function destinationsView() {
  const list = h('div', { class: 'destinations' });
  show(list);
  async function load() {
    const destinations = await get('destinations');
    const focused = document.activeElement?.id;
    fill(list, ...(destinations.length === 0
      ? [h('p', { class: 'muted' }, 'No destinations: the workflow has no action step yet.')]
      : destinations.map(d => card(d, load))));
    if (focused) document.getElementById(focused)?.focus();
  }
  await load();
  const timer = setInterval(() => {
    if (!document.querySelector('.destinations input:focus')) load().catch(() => {});
  }, 5000);
  return () => clearInterval(timer);
}

function card(d, reload) {
  const id = d.name.replace(/[^a-z0-9-]/g, '');
  const rows = [
    ['State', badge(d.state)],
    d.paused_by ? ['Paused by', `${d.paused_by} since `, time(d.paused_at, true)] : null,
    d.pause_reason ? ['Reason', d.pause_reason] : null,
    ['Failure streak', String(d.failure_streak)],
    ['Last error', d.last_error ? [d.last_error, ' (', time(d.last_failure_at, true), ')'] : '–'],
    ['Last success', time(d.last_success_at, true)],
    ['Next probe', time(d.next_probe_at, true)],
    ['Rate limit', d.max_per_second ? `${d.max_per_second} a second` : 'none'],
    ['Host', d.host ?? '–'],
  ].filter(Boolean);
  let action;
  if (d.state === 'paused') {
    const resume = h('button', { type: 'button', id: `resume-${id}` }, `Resume ${d.name}`);
    resume.addEventListener('click', async () => {
      await post(`destinations/${encodeURIComponent(d.name)}/resume`, {});
      say(`${d.name} resumed.`);
      await reload();
    });
    action = resume;
  } else {
    const reason = h('input', { id: `reason-${id}`, name: 'reason', type: 'text', required: true, maxlength: 200 });
    action = h('form', { class: 'pause' },
      h('label', { for: `reason-${id}` }, `Reason to pause ${d.name}`), reason,
      h('button', { type: 'submit', id: `pause-${id}` }, `Pause ${d.name}`));
    action.addEventListener('submit', async event => {
      event.preventDefault();
      await post(`destinations/${encodeURIComponent(d.name)}/pause`, { reason: reason.value });
      say(`${d.name} paused.`);
      await reload();
    });
  }
  return h('section', { class: 'card', 'aria-labelledby': `dest-${id}`, 'data-destination': d.name },
    h('h2', { id: `dest-${id}` }, d.name),
    h('dl', { class: 'facts' }, rows.map(([name, ...value]) => [h('dt', {}, name), h('dd', {}, ...value)])),
    action);
}
