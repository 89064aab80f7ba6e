// The dashboard's shell: hash routes to pages, each page a module with
// mount(view, route) -> a function that stops its timers and streams when the user leaves.
import {getJson, logout} from '/ui/js/api.js';
import {el} from '/ui/js/format.js';
import * as map from '/ui/js/map.js';
import * as service from '/ui/js/service.js';
import * as traces from '/ui/js/traces.js';
import * as trace from '/ui/js/trace.js';
import * as history from '/ui/js/history.js';

const view = document.getElementById('view');
let unmount = () => {};

/** '#/service/orders?x=1' -> {name: 'service', parts: ['orders'], query: URLSearchParams} */
function parse(hash) {
  const [path, search] = hash.replace(/^#\/?/, '').split('?');
  const segments = path.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  return {
    name: segments[0] || 'map',
    parts: segments.slice(1),
    query: new URLSearchParams(search || ''),
  };
}

const pages = {map, service, traces, trace, history};
const navFor = {map: 'map', service: 'map', traces: 'traces', trace: 'traces', history: 'history'};

function show() {
  unmount();
  const route = parse(location.hash);
  const page = pages[route.name];
  for (const link of document.querySelectorAll('header nav a')) {
    link.classList.toggle('active', link.dataset.route === navFor[route.name]);
  }
  view.replaceChildren();
  if (!page) {
    view.append(el('p', {class: 'error'}, 'No page ' + route.name + '.'));
    unmount = () => {};
    return;
  }
  document.body.dataset.page = route.name;
  unmount = page.mount(view, route) || (() => {});
}

window.addEventListener('hashchange', show);
document.getElementById('logout').addEventListener('click', logout);
show();

getJson('/v1/whoami')
  .then((me) => {
    document.getElementById('who').textContent = me.operator
      ? me.operator + ' (' + me.role + ')'
      : me.actor;
  })
  .catch(() => {});
