// The control plane's JSON API as the pages use it. The session cookie goes along by itself
// (same origin); a 401 means the session is gone, so the browser goes back to the login page.

/** The endpoint is not there (404): an older control plane, or an unknown name. */
export class NotFound extends Error {}

export async function getJson(path) {
  const response = await fetch(path, {
    headers: {Accept: 'application/json'},
    credentials: 'same-origin',
  });
  if (response.status === 401) {
    toLogin();
    throw new Error('the session has ended; log in again');
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 404) {
    throw new NotFound(body.message || 'not found: ' + path);
  }
  if (!response.ok) {
    throw new Error(body.message || response.status + ' from ' + path);
  }
  return body;
}

export function toLogin() {
  location.assign('/ui/login.html?next=' + encodeURIComponent(location.hash));
}

export async function logout() {
  await fetch('/v1/sessions/current', {method: 'DELETE', credentials: 'same-origin'}).catch(() => {});
  location.assign('/ui/login.html');
}

/** The services the registry knows, with their live instances: the map without telemetry. */
export async function registryServices() {
  const instances = (await getJson('/v1/instances')).items || [];
  const services = new Map();
  for (const instance of instances) {
    const entry = services.get(instance.service) || {service: instance.service, instances: 0};
    entry.instances += 1;
    services.set(instance.service, entry);
  }
  return [...services.values()].sort((a, b) => a.service.localeCompare(b.service));
}
