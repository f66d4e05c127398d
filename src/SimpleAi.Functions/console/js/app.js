// The console: a view per address (#/calls, #/calls/<id>, #/failures, #/destinations), each a module that renders
// into #view and may return a stop function (its refresh timers) called when the reader leaves it.
import { show, h, say } from './dom.js';
import { ApiError } from './api.js';
import { callsView } from './calls.js';
import { callView } from './call.js';
import { failuresView } from './failures.js';
import { destinationsView } from './destinations.js';

let stop = null;

function route() {
  const [, view = 'calls', id] = (location.hash || '#/calls').split('?')[0].split('/');
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  if (view === 'calls' && id) return { name: 'calls', title: 'Call', run: () => callView(id, params) };
  if (view === 'failures') return { name: 'failures', title: 'Failures', run: () => failuresView(params) };
  if (view === 'destinations') return { name: 'destinations', title: 'Destinations', run: () => destinationsView() };
  return { name: 'calls', title: 'Calls', run: () => callsView(params) };
}

/** Whether a new address is the same view with other parameters (then focus stays where the reader is). */
let lastView = null;

async function render() {
  if (stop) stop();
  stop = null;
  const { name, title, run } = route();
  document.title = `${title} · SimpleAi console`;
  const heading = document.getElementById('title');
  heading.textContent = title;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const moved = lastView !== `${name}:${title}`;
  lastView = `${name}:${title}`;
  say('');
  try {
    stop = await run();
  } catch (error) {
    show(h('p', { class: 'error', role: 'alert' }, explain(error)));
  }
  if (moved) heading.focus();
}

/** What a failed request means to the reader. */
export function explain(error) {
  if (error instanceof ApiError && error.status === 401) return 'Sign in to see the console.';
  if (error instanceof ApiError && error.status === 403) return `Not allowed: ${error.message}`;
  return `Could not load: ${error.message}`;
}

window.addEventListener('hashchange', render);
render();
