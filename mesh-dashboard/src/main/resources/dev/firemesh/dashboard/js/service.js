// One service: its instances (health, locality, version), the routes and policies in force for
// it, and live charts of its golden signals (requests/s, error rate, p50 and p99 latency).
// Refreshed every 5 s. Without the telemetry API (404) it shows the registry's instances.
import uPlot from '/ui/lib/uPlot.esm.js';
import {getJson, NotFound} from '/ui/js/api.js';
import {TELEMETRY_MISSING, el, epochMillis, notice, table} from '/ui/js/format.js';

const REFRESH_MS = 5000;

export function mount(view, route) {
  const name = route.parts[0] || '';
  const banner = el('div', {id: 'service-notice'});
  const instances = el('div', {id: 'service-instances'}, el('p', {class: 'muted'}, 'Loading…'));
  const routes = el('div', {id: 'service-routes'});
  const policies = el('div', {id: 'service-policies'});
  const charts = el('div', {class: 'grid', id: 'service-charts'});
  view.append(
    el('p', {class: 'status'}, el('a', {href: '#/map'}, '← Map'), ' · ',
      el('a', {href: '#/traces?service=' + encodeURIComponent(name)}, 'Traces of ' + name)),
    el('h1', {}, 'Service ', el('span', {id: 'service-name'}, name)),
    banner,
    el('h2', {}, 'Golden signals (last minutes)'),
    charts,
    el('h2', {}, 'Instances'),
    instances,
    el('h2', {}, 'Routes in force'),
    routes,
    el('h2', {}, 'Policies in force'),
    policies);

  const plots = new GoldenCharts(charts);
  let stopped = false;
  let timer = null;

  async function load() {
    if (stopped) return;
    try {
      const answer = await getJson('/v1/telemetry/services/' + encodeURIComponent(name));
      banner.replaceChildren();
      instances.replaceChildren(instanceTable(answer.instances || []));
      routes.replaceChildren(resourceList(answer.routes || [], 'No route names this service.'));
      policies.replaceChildren(resourceList(answer.policies || [], 'No policy applies to this service.'));
      plots.show(answer.series || {});
    } catch (e) {
      if (e instanceof NotFound && /no admin endpoint/.test(e.message)) {
        await withoutTelemetry();
      } else {
        banner.replaceChildren(notice(e.message));
      }
    }
    timer = setTimeout(load, REFRESH_MS);
  }

  async function withoutTelemetry() {
    banner.replaceChildren(notice(TELEMETRY_MISSING + ' Instances come from the registry; routes, '
      + 'policies and golden signals need the telemetry API.'));
    const items = (await getJson('/v1/instances?service=' + encodeURIComponent(name))).items || [];
    instances.replaceChildren(instanceTable(items.map((i) => ({
      id: i.instanceId,
      address: i.address,
      port: i.port,
      zone: (i.labels || {}).zone,
      region: (i.labels || {}).region,
      version: (i.labels || {}).version,
    }))));
    charts.replaceChildren(el('p', {class: 'muted'}, 'No golden signals without telemetry.'));
    for (const box of [routes, policies]) {
      box.replaceChildren(el('p', {class: 'muted'}, 'Shown once the control plane has the telemetry API.'));
    }
  }

  const resize = () => plots.resize();
  window.addEventListener('resize', resize);
  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
    window.removeEventListener('resize', resize);
    plots.destroy();
  };
}

function instanceTable(items) {
  if (items.length === 0) return el('p', {class: 'muted'}, 'No live instance.');
  const rows = items.map((i) => el('tr', {'data-instance': i.id},
    el('td', {class: 'mono'}, i.id),
    el('td', {class: 'mono'}, i.address + (i.port ? ':' + i.port : '')),
    el('td', {}, healthBadge(i.health)),
    el('td', {}, i.zone || '–'),
    el('td', {}, i.region || '–'),
    el('td', {}, i.version || '–')));
  return table(['Instance', 'Address', 'Health', 'Zone', 'Region', 'Version'], rows);
}

/**
 * The API's `health`: `healthy`, or what the instance's `health` label says instead (`unhealthy`,
 * `draining`); absent when only the registry answered.
 */
function healthBadge(health) {
  if (!health) return el('span', {class: 'badge idle'}, 'unknown');
  return el('span', {class: 'badge ' + (health === 'healthy' ? 'ok' : 'bad')}, health);
}

/** Routes and policies as the API sends them: a name, a kind, and the document on demand. */
function resourceList(items, empty) {
  if (items.length === 0) return el('p', {class: 'muted'}, empty);
  const rows = items.map((item) => {
    const name = typeof item === 'string' ? item : item.name || (item.metadata || {}).name || '';
    const kind = typeof item === 'string' ? '' : item.kind || '';
    return el('tr', {},
      el('td', {}, name),
      el('td', {}, kind),
      el('td', {}, typeof item === 'string' ? '' : el('details', {},
        el('summary', {}, 'definition'), el('pre', {}, JSON.stringify(item, null, 2)))));
  });
  return table(['Name', 'Kind', ''], rows);
}

/** Three uPlot charts made once and fed new data on every refresh. */
class GoldenCharts {
  constructor(box) {
    this.box = box;
    this.plots = [];
  }

  show(series) {
    const t = (series.t || []).map((v) => epochMillis(v) / 1000);
    const column = (k, scale = 1) => (series[k] || []).map((v) => (v === null ? null : Number(v) * scale));
    const data = [
      [t, column('rps')],
      [t, column('errorRate', 100)],
      [t, column('p50Ms'), column('p99Ms')],
    ];
    if (this.plots.length === 0) {
      this.box.replaceChildren();
      const specs = [
        ['Requests per second', [{label: 'req/s', stroke: '#29335c', fill: 'rgba(41,51,92,0.08)'}], 'rps'],
        ['Error rate', [{label: 'errors %', stroke: '#d64045', fill: 'rgba(214,64,69,0.08)'}], 'errors'],
        ['Latency', [{label: 'p50 ms', stroke: '#2e9e5b'}, {label: 'p99 ms', stroke: '#e0a100'}], 'latency'],
      ];
      // All three holders first: the grid sizes its columns by how many there are.
      const holders = specs.map(([title, , id]) =>
        el('div', {class: 'card chart', id: 'chart-' + id}, el('h3', {}, title)));
      this.box.append(...holders);
      specs.forEach(([, lines], index) => {
        const holder = holders[index];
        const options = {
          width: this.width(holder),
          height: 180,
          series: [{}, ...lines.map((l) => ({...l, width: 2, spanGaps: true}))],
          axes: [{}, {size: 50}],
          scales: {x: {time: true}},
        };
        this.plots.push(new uPlot(options, [data[index][0], ...data[index].slice(1)], holder));
      });
      return;
    }
    this.plots.forEach((plot, index) => plot.setData(data[index]));
  }

  width(holder) {
    return Math.max(300, (holder.clientWidth || this.box.clientWidth / 3) - 24);
  }

  resize() {
    for (const plot of this.plots) {
      plot.setSize({width: this.width(plot.root.parentElement), height: 180});
    }
  }

  destroy() {
    this.plots.forEach((plot) => plot.destroy());
    this.plots = [];
  }
}
