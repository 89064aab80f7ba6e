// One trace as a waterfall: a row per span in call order (children under their parent), a bar
// from its start for its duration on a shared time axis. The failing span is red (other spans
// with an error status pale red), the slowest is outlined and labelled; a click on a span shows
// its attributes.
import {getJson, NotFound} from '/ui/js/api.js';
import {TELEMETRY_MISSING, el, epochMillis, ms, notice, table} from '/ui/js/format.js';

export function mount(view, route) {
  const id = route.parts[0] || '';
  const body = el('div', {id: 'trace'}, el('p', {class: 'muted'}, 'Loading…'));
  view.append(
    el('p', {class: 'status'}, el('a', {href: '#/traces'}, '← Traces')),
    el('h1', {}, 'Trace ', el('span', {class: 'mono'}, id)),
    body);
  getJson('/v1/telemetry/traces/' + encodeURIComponent(id))
    .then((trace) => body.replaceChildren(...waterfall(trace)))
    .catch((e) => body.replaceChildren(e instanceof NotFound && /no admin endpoint/.test(e.message)
      ? notice(TELEMETRY_MISSING) : notice(e.message)));
  return () => {};
}

function failed(span) {
  const status = span.status;
  if (status && typeof status === 'object') return status.code === 2 || /error/i.test(String(status.code));
  return /error/i.test(String(status || ''));
}

/** Spans in call order: depth first from the roots, siblings by start. */
function ordered(spans) {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map();
  const roots = [];
  for (const span of spans) {
    if (span.parentSpanId && byId.has(span.parentSpanId)) {
      if (!children.has(span.parentSpanId)) children.set(span.parentSpanId, []);
      children.get(span.parentSpanId).push(span);
    } else {
      roots.push(span);
    }
  }
  const byStart = (a, b) => a.startMs - b.startMs;
  const out = [];
  const visit = (span, depth) => {
    out.push({span, depth});
    (children.get(span.spanId) || []).sort(byStart).forEach((c) => visit(c, depth + 1));
  };
  roots.sort(byStart).forEach((r) => visit(r, 0));
  return out;
}

/** Without the API's word: the first failed span none of whose children failed. */
function rootCause(spans) {
  const failedParents = new Set(spans.filter(failed).map((s) => s.parentSpanId));
  const causes = spans.filter((s) => failed(s) && !failedParents.has(s.spanId));
  causes.sort((a, b) => a.startMs - b.startMs);
  return causes.length > 0 ? causes[0].spanId : undefined;
}

function waterfall(trace) {
  const spans = (trace.spans || []).map((s) => ({...s, startMs: epochMillis(s.start), durationMs: Number(s.durationMs) || 0}));
  if (spans.length === 0) return [el('p', {class: 'muted'}, 'This trace has no spans.')];
  const t0 = Math.min(...spans.map((s) => s.startMs));
  const t1 = Math.max(...spans.map((s) => s.startMs + s.durationMs));
  const total = Math.max(t1 - t0, 0.001);
  const slowest = trace.slowestSpanId
    || spans.reduce((a, b) => (b.durationMs > a.durationMs ? b : a)).spanId;
  const failing = trace.failingSpanId || rootCause(spans);
  const services = new Set(spans.map((s) => s.service));
  const details = el('div', {class: 'attributes', id: 'span-detail'},
    el('p', {class: 'muted'}, 'Click a span to see its attributes.'));

  const header = el('div', {class: 'span-row'},
    el('div', {class: 'span-label muted'}, services.size + ' services, ' + spans.length + ' spans'),
    el('div', {class: 'span-track muted'}, '0'),
    el('div', {class: 'span-time muted'}, ms(total)));
  const rows = ordered(spans).map(({span, depth}) => {
    // The failing span is where the error started; the spans above it that failed because it did
    // are shown as errors, paler, so the eye goes to the cause.
    const isFailing = span.spanId === failing;
    const isError = !isFailing && failed(span);
    const isSlowest = span.spanId === slowest;
    const bar = el('div', {class: 'span-bar' + (isFailing ? ' failing' : isError ? ' error' : ''),
      title: span.service + ' ' + span.name + ': ' + ms(span.durationMs)});
    // Positions go through the CSS object model: allowed by the page's policy, unlike style="".
    bar.style.left = ((span.startMs - t0) / total * 100).toFixed(3) + '%';
    bar.style.width = Math.max(0.3, span.durationMs / total * 100).toFixed(3) + '%';
    const label = el('div', {class: 'span-label'},
      el('span', {class: 'svc'}, span.service),
      span.name,
      isFailing ? el('span', {class: 'marker failing'}, 'failing') : null,
      isSlowest ? el('span', {class: 'marker slowest'}, 'slowest') : null);
    label.style.paddingLeft = (8 + depth * 14) + 'px';
    const row = el('div', {
      class: 'span-row' + (isFailing ? ' failing' : '') + (isSlowest ? ' slowest' : ''),
      'data-span-id': span.spanId,
      'data-service': span.service,
    }, label, el('div', {class: 'span-track'}, bar), el('div', {class: 'span-time'}, ms(span.durationMs)));
    row.addEventListener('click', () => {
      for (const other of row.parentElement.querySelectorAll('.span-row.selected')) other.classList.remove('selected');
      row.classList.add('selected');
      details.replaceChildren(spanDetail(span));
    });
    return row;
  });
  return [
    el('p', {class: 'status'}, ms(total) + ' across ' + [...services].join(', ')
      + (failing ? ' · failing span marked red' : '') + ' · slowest span outlined'),
    el('div', {class: 'waterfall', id: 'waterfall'}, header, rows),
    details,
  ];
}

function spanDetail(span) {
  const attributes = span.attributes || {};
  const pairs = Array.isArray(attributes)
    ? attributes.map((a) => [a.key, JSON.stringify(a.value)])
    : Object.entries(attributes).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  const rows = [
    ['service', span.service], ['name', span.name], ['kind', span.kind], ['span id', span.spanId],
    ['parent', span.parentSpanId || '(root)'], ['duration', ms(span.durationMs)],
    ['status', typeof span.status === 'object' ? JSON.stringify(span.status) : span.status],
    ...pairs,
  ].map(([k, v]) => el('tr', {}, el('td', {class: 'mono'}, k), el('td', {class: 'mono'}, v ?? '')));
  return el('div', {}, el('h2', {}, 'Span ' + span.name), table(['Attribute', 'Value'], rows));
}
