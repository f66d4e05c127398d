// Small DOM helpers: every text goes in as text (never HTML), so nothing a call carries can run as script.

/** An element with attributes and children (strings become text nodes; null and false are left out). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A time as the reader's local time, with the exact UTC time in the element. */
export function time(value, withDate = false) {
  if (!value) return h('span', { class: 'muted' }, '–');
  const date = new Date(value);
  const text = withDate ? date.toLocaleString() : date.toLocaleTimeString();
  return h('time', { datetime: date.toISOString(), title: date.toISOString() }, text);
}

/** A duration in seconds as "2 min 05 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.round(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** A status word as a badge whose class names its kind (colour is never the only signal: the word is there). */
export function badge(text) {
  const kind = !text ? 'none' : text.startsWith('failed') ? 'failed' : text;
  return h('span', { class: `badge badge-${kind.replace(/[^a-z]/g, '')}` }, text ?? 'no run');
}

/** Replaces the view's content. */
export function show(...children) {
  fill(document.getElementById('view'), children);
}

/** Says something in the live region (read by screen readers without moving focus). */
export function say(text) {
  document.getElementById('status').textContent = text;
}

/** Replaces an element's children (nested lists flattened, null and false left out, strings as text). */
export function fill(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false)
    .map(c => (c instanceof Node ? c : document.createTextNode(String(c)))));
}
