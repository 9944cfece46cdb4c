// The API has its own origin (its own CloudFront distribution). The deploy writes its URL into /config.json at the
// app's root, so one build of the app runs on every stage; it is read fresh (never from a cache) once per page load.
// Calls are cross-origin with credentials, so the API's HttpOnly session cookie travels with each of them.
let base;

function apiBase() {
  base ??= fetch('/config.json', { cache: 'no-store', headers: { Accept: 'application/json' } })
    .then(async (response) => {
      const config = response.ok ? await response.json() : null;
      const url = config && typeof config.apiUrl === 'string' ? new URL(config.apiUrl) : null;
      if (!url || url.pathname !== '/' || url.search || url.hash) throw new Error(`config.json holds no apiUrl (HTTP ${response.status})`);
      return `${url.origin}/api/v1`;
    })
    .catch((error) => {
      // A failed read (offline, a deploy in progress) is retried by the next call instead of sticking.
      base = undefined;
      throw error;
    });
  return base;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

async function request(method, path, { body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, mode: 'cors', credentials: 'include' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch((await apiBase()) + path, init);
  } catch {
    throw new ApiError(0, 'Depoxy cannot be reached: check your connection and try again.');
  }
  const text = await response.text();
  const data = text ? parseJson(text) : null;
  if (!response.ok) throw new ApiError(response.status, problemMessage(response.status, data));
  return { status: response.status, data, etag: response.headers.get('ETag') };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// ASP.NET Core answers with RFC 7807 problem details; validation problems list their messages per field.
function problemMessage(status, data) {
  if (data && typeof data === 'object') {
    const fieldErrors = data.errors && typeof data.errors === 'object' ? Object.values(data.errors).flat() : [];
    const parts = [data.detail || data.title || data.error || data.message, ...fieldErrors].filter(Boolean);
    if (parts.length) return parts.join(' ');
  }
  if (status === 401) return 'You are not signed in.';
  if (status === 429) return 'Too many sign-in links were asked for: wait a while and try again.';
  if (status === 428) return 'A pipeline with this identifier exists already: choose another one.';
  if (status === 412) return 'Someone else changed this pipeline since you opened it: reload it and try again.';
  return `The request failed (HTTP ${status}).`;
}

export async function whoAmI() {
  try {
    return (await request('GET', '/auth/who-am-i')).data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const requestMagicLink = (form) => request('POST', '/auth/magic-link', { body: form });

export const login = (hash) => request('POST', '/auth/login', { body: { hash } });

export const logout = () => request('POST', '/auth/logout');

export const logoutEverywhere = () => request('POST', '/auth/logout-everywhere');

export async function listPipelines() {
  const { data } = await request('GET', '/pipelines');
  return data.pipelines;
}

export async function getPipeline(id) {
  const { data, etag } = await request('GET', `/pipelines/${encodeURIComponent(id)}`);
  return { pipeline: data, etag };
}

// Without If-Match the API only creates (an existing id answers 428); an edit sends the ETag it was read with so a
// concurrent change is refused (412) instead of lost.
export async function savePipeline(id, pipeline, etag) {
  const headers = etag ? { 'If-Match': etag } : {};
  const { data, etag: newEtag } = await request('PUT', `/pipelines/${encodeURIComponent(id)}`, { body: pipeline, headers });
  return { pipeline: data, etag: newEtag };
}

export const deletePipeline = (id, etag) =>
  request('DELETE', `/pipelines/${encodeURIComponent(id)}`, { headers: etag ? { 'If-Match': etag } : {} });
