// The trace explorer: search the control plane's trace store by service, status and latency, then
// open one trace's waterfall (#/trace/<id>). The search lives in the URL, so it can be shared.
import {getJson, NotFound, registryServices} from '/ui/js/api.js';
import {TELEMETRY_MISSING, clock, el, ms, notice, table} from '/ui/js/format.js';

export function mount(view, route) {
  const q = route.query;
  const services = el('datalist', {id: 'trace-services'});
  const service = el('input', {name: 'service', list: 'trace-services', value: q.get('service') || '',
    placeholder: 'any service', autocomplete: 'off'});
  const status = el('select', {name: 'status'},
    [['', 'any status'], ['error', 'errors only'], ['ok', 'successes only']].map(([value, text]) =>
      el('option', {value, selected: (q.get('status') || '') === value}, text)));
  const minDuration = el('input', {name: 'minDurationMs', type: 'number', min: '0', step: '1',
    value: q.get('minDurationMs') || '', placeholder: '0'});
  const limit = el('select', {name: 'limit'},
    ['20', '50', '100'].map((n) => el('option', {value: n, selected: (q.get('limit') || '50') === n}, n)));
  const form = el('form', {class: 'search', id: 'trace-search'},
    el('label', {}, 'Service', service),
    el('label', {}, 'Status', status),
    el('label', {}, 'Slower than (ms)', minDuration),
    el('label', {}, 'At most', limit),
    el('button', {type: 'submit'}, 'Search'),
    services);
  const results = el('div', {id: 'trace-results'}, el('p', {class: 'muted'}, 'Searching…'));
  view.append(el('h1', {}, 'Traces'), form, results);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (String(value).trim() !== '') params.set(key, String(value).trim());
    }
    const target = '#/traces' + (params.toString() ? '?' + params : '');
    if (location.hash === target) search(params); else location.hash = target;
  });

  registryServices()
    .then((list) => services.replaceChildren(...list.map((s) => el('option', {value: s.service}))))
    .catch(() => {});

  async function search(params) {
    results.replaceChildren(el('p', {class: 'muted'}, 'Searching…'));
    try {
      const answer = await getJson('/v1/telemetry/traces?' + params);
      results.replaceChildren(traceTable(answer.traces || []));
    } catch (e) {
      results.replaceChildren(e instanceof NotFound ? notice(TELEMETRY_MISSING) : notice(e.message));
    }
  }

  const params = new URLSearchParams();
  for (const key of ['service', 'status', 'minDurationMs', 'limit']) {
    if (q.get(key)) params.set(key, q.get(key));
  }
  if (!params.has('limit')) params.set('limit', '50');
  search(params);
  return () => {};
}

function traceTable(traces) {
  if (traces.length === 0) return el('p', {class: 'muted'}, 'No trace matches.');
  const rows = traces.map((t) => el('tr', {class: 'clickable', 'data-trace-id': t.traceId,
      onclick: () => (location.hash = '#/trace/' + encodeURIComponent(t.traceId))},
    el('td', {}, clock(t.start)),
    el('td', {}, el('a', {href: '#/trace/' + encodeURIComponent(t.traceId)}, t.rootService + ': ' + (t.rootName || ''))),
    el('td', {class: 'num'}, ms(t.durationMs)),
    el('td', {class: 'num'}, String(t.spanCount ?? '')),
    el('td', {}, (t.services || []).join(', ')),
    el('td', {}, el('span', {class: 'badge ' + (t.error ? 'bad' : 'ok')}, t.error ? 'error' : 'ok'))));
  return table(['Start', 'Root', {label: 'Duration', num: true}, {label: 'Spans', num: true},
    'Services', 'Status'], rows);
}
