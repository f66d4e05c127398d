// The console's JSON endpoints, relative to the page (/api/console/ → /api/console/api/…).

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

async function answer(response) {
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, body?.detail);
  return body;
}

/** GET api/{path} with the query's non-empty values. */
export async function get(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return answer(await fetch(`api/${path}${search ? `?${search}` : ''}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }));
}

/** POST api/{path} with a JSON body (the browser adds the same-origin Origin header the server requires). */
export async function post(path, body) {
  return answer(await fetch(`api/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  }));
}
