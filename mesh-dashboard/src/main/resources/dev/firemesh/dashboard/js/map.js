// The service map: every service a node, every caller-to-callee pair an edge, coloured and
// labelled by live traffic. The graph comes once from /v1/telemetry/graph, then from the
// server-sent events of /v1/telemetry/stream (a "graph" event every 2 s), without reloading.
// Without the telemetry API (404) the map shows the registry's services and says so.
import * as echarts from '/ui/lib/echarts.esm.min.js';
import {getJson, NotFound, registryServices} from '/ui/js/api.js';
import {COLOURS, TELEMETRY_MISSING, el, health, ms, notice, num, percent, table} from '/ui/js/format.js';

const GRAPH = '/v1/telemetry/graph?window=1m';
const STREAM = '/v1/telemetry/stream';

export function mount(view) {
  const banner = el('div', {id: 'map-notice'});
  const status = el('p', {class: 'status', id: 'map-status'}, 'Loading the service graph…');
  const canvas = el('div', {id: 'map', role: 'img', 'aria-label': 'Map of the services and their calls'});
  const nodesBox = el('div', {id: 'map-nodes'});
  const edgesBox = el('div', {id: 'map-edges'});
  view.append(
    el('h1', {}, 'Service map'),
    banner,
    status,
    canvas,
    el('p', {class: 'legend'}, legend()),
    el('h2', {}, 'Services'),
    nodesBox,
    el('h2', {}, 'Calls'),
    edgesBox);

  const chart = echarts.init(canvas, null, {renderer: 'canvas'});
  chart.on('click', (p) => {
    if (p.dataType === 'node') {
      location.hash = '#/service/' + encodeURIComponent(p.data.name);
    } else if (p.dataType === 'edge') {
      location.hash = '#/traces?service=' + encodeURIComponent(p.data.source);
    }
  });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);

  let stopped = false;
  let stream = null;
  let timer = null;

  function render(graph) {
    if (stopped) return;
    const nodes = new Map((graph.nodes || []).map((n) => [n.service, n]));
    for (const edge of graph.edges || []) {
      for (const service of [edge.source, edge.destination]) {
        if (!nodes.has(service)) nodes.set(service, {service});
      }
    }
    draw([...nodes.values()], graph.edges || []);
    nodesBox.replaceChildren(nodeTable([...nodes.values()]));
    edgesBox.replaceChildren(edgeTable(graph.edges || []));
  }

  function draw(nodes, edges) {
    const placed = positions(chart);
    const maxRps = Math.max(1, ...nodes.map((n) => Number(n.rps) || 0));
    chart.setOption({
      animationDurationUpdate: 400,
      tooltip: {formatter: tooltip},
      series: [{
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        force: {repulsion: 420, edgeLength: [140, 220], gravity: 0.08, layoutAnimation: true},
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 9,
        label: {show: true, position: 'bottom', distance: 6, fontSize: 12, lineHeight: 16,
          formatter: (p) => nodeLabel(p.data.stats)},
        edgeLabel: {show: true, fontSize: 11, formatter: (p) => edgeLabel(p.data.stats)},
        data: nodes.map((n) => {
          const at = placed.get(n.service);
          return {
            name: n.service,
            symbolSize: 28 + 24 * Math.sqrt((Number(n.rps) || 0) / maxRps),
            itemStyle: {color: COLOURS[health(Number(n.errorRate) || 0, Number(n.rps) || 0)]},
            x: at ? at[0] : undefined,
            y: at ? at[1] : undefined,
            stats: n,
          };
        }),
        links: edges.map((e) => ({
          source: e.source,
          target: e.destination,
          lineStyle: {
            width: 1 + Math.min(9, 3 * Math.log10(1 + (Number(e.rps) || 0))),
            color: COLOURS[health(Number(e.errorRate) || 0, Number(e.rps) || 0)],
            curveness: 0.12,
            opacity: 0.85,
          },
          stats: e,
        })),
      }],
    });
  }

  async function start() {
    try {
      render(await getJson(GRAPH));
      subscribe();
    } catch (e) {
      if (e instanceof NotFound) {
        withoutTelemetry();
      } else {
        status.textContent = 'Could not read the service graph: ' + e.message + ' (retrying)';
        timer = setTimeout(start, 5000);
      }
    }
  }

  function subscribe() {
    stream = new EventSource(STREAM);
    stream.addEventListener('graph', (event) => {
      render(JSON.parse(event.data));
      status.textContent = 'Live: updated ' + new Date().toLocaleTimeString() + ' (last minute)';
      status.dataset.live = 'true';
    });
    stream.addEventListener('open', () => {
      status.textContent = 'Live: waiting for the next update…';
    });
    stream.addEventListener('error', () => {
      if (stopped) return;
      if (stream.readyState === EventSource.CLOSED) {
        // The stream was refused (an error status): poll instead of giving up.
        stream = null;
        status.textContent = 'The live stream is not available; refreshing every 2 s.';
        poll();
      } else {
        status.textContent = 'Live stream interrupted; reconnecting…';
      }
    });
  }

  async function poll() {
    if (stopped) return;
    try {
      render(await getJson(GRAPH));
      status.textContent = 'Updated ' + new Date().toLocaleTimeString() + ' (polling)';
    } catch (e) {
      status.textContent = 'Could not read the service graph: ' + e.message;
    }
    timer = setTimeout(poll, 2000);
  }

  function withoutTelemetry() {
    banner.replaceChildren(
      notice(TELEMETRY_MISSING + ' The map shows the services of the registry, without traffic.'));
    const refresh = async () => {
      if (stopped) return;
      try {
        render({nodes: await registryServices(), edges: []});
        status.textContent = 'Registry: updated ' + new Date().toLocaleTimeString();
      } catch (e) {
        status.textContent = 'Could not read the registry: ' + e.message;
      }
      timer = setTimeout(refresh, 5000);
    };
    refresh();
  }

  start();
  return () => {
    stopped = true;
    if (stream) stream.close();
    clearTimeout(timer);
    window.removeEventListener('resize', resize);
    chart.dispose();
  };
}

function legend() {
  return [['ok', 'fewer than 1% errors'], ['warn', '1–5% errors'], ['bad', '5% errors or more'],
    ['idle', 'no traffic']].map(([kind, text]) => el('span', {}, el('span', {class: 'swatch ' + kind}), text));
}

/** Where the force layout put each node, so an update moves nothing the user has arranged. */
function positions(chart) {
  const placed = new Map();
  try {
    const series = chart.getModel().getSeriesByIndex(0);
    const data = series ? series.getData() : null;
    for (let i = 0; data && i < data.count(); i++) {
      const layout = data.getItemLayout(i);
      if (layout && Number.isFinite(layout[0])) placed.set(data.getName(i), [layout[0], layout[1]]);
    }
  } catch (e) {
    // No chart drawn yet.
  }
  return placed;
}

function hasTraffic(s) {
  return s && s.rps !== undefined && s.rps !== null;
}

function nodeLabel(s) {
  if (!hasTraffic(s)) {
    return s.service + (s.instances !== undefined ? '\n' + s.instances + ' instance' + (s.instances === 1 ? '' : 's') : '');
  }
  return s.service + '\n' + num(s.rps) + ' rps · ' + percent(s.errorRate) + ' · p99 ' + ms(s.p99Ms);
}

function edgeLabel(s) {
  return hasTraffic(s) ? num(s.rps) + ' rps · ' + percent(s.errorRate) + ' · p99 ' + ms(s.p99Ms) : '';
}

function tooltip(p) {
  const s = p.data.stats || {};
  const title = p.dataType === 'edge' ? s.source + ' → ' + s.destination : s.service;
  if (!hasTraffic(s)) return escapeText(title);
  return escapeText(title) + '<br>' + num(s.rps) + ' req/s, ' + percent(s.errorRate) + ' errors<br>p50 '
    + ms(s.p50Ms) + ', p99 ' + ms(s.p99Ms)
    + (p.dataType === 'node' && s.instances !== undefined ? '<br>' + s.healthy + '/' + s.instances + ' instances healthy' : '');
}

/** ECharts renders tooltip text as HTML: service names must not be read as markup. */
function escapeText(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
}

function nodeTable(nodes) {
  const rows = nodes
    .slice()
    .sort((a, b) => a.service.localeCompare(b.service))
    .map((n) => el('tr', {class: 'clickable', 'data-service': n.service,
        onclick: () => (location.hash = '#/service/' + encodeURIComponent(n.service))},
      el('td', {}, el('a', {href: '#/service/' + encodeURIComponent(n.service)}, n.service)),
      el('td', {class: 'num'}, n.instances === undefined ? '–' : (n.healthy === undefined ? '' : n.healthy + '/') + n.instances),
      el('td', {class: 'num', 'data-field': 'rps'}, num(n.rps)),
      el('td', {class: 'num'}, el('span', {class: 'badge ' + health(Number(n.errorRate) || 0, Number(n.rps) || 0)}, percent(n.errorRate))),
      el('td', {class: 'num'}, ms(n.p50Ms)),
      el('td', {class: 'num'}, ms(n.p99Ms))));
  return table(['Service', {label: 'Instances', num: true}, {label: 'Req/s', num: true},
    {label: 'Errors', num: true}, {label: 'p50', num: true}, {label: 'p99', num: true}], rows);
}

function edgeTable(edges) {
  if (edges.length === 0) return el('p', {class: 'muted'}, 'No calls seen in the last minute.');
  const rows = edges
    .slice()
    .sort((a, b) => (Number(b.rps) || 0) - (Number(a.rps) || 0))
    .map((e) => el('tr', {class: 'clickable', 'data-edge': e.source + '->' + e.destination,
        onclick: () => (location.hash = '#/traces?service=' + encodeURIComponent(e.source))},
      el('td', {}, e.source + ' → ' + e.destination),
      el('td', {class: 'num', 'data-field': 'rps'}, num(e.rps)),
      el('td', {class: 'num'}, el('span', {class: 'badge ' + health(Number(e.errorRate) || 0, Number(e.rps) || 0)}, percent(e.errorRate))),
      el('td', {class: 'num'}, ms(e.p50Ms)),
      el('td', {class: 'num'}, ms(e.p99Ms))));
  return table(['Call', {label: 'Req/s', num: true}, {label: 'Errors', num: true},
    {label: 'p50', num: true}, {label: 'p99', num: true}], rows);
}
