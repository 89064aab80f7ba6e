// Small pieces every page shares: building elements without HTML strings (so no value from the
// mesh is ever parsed as markup), and formatting numbers and times.

/** el('td', {class: 'num'}, '12') — children are strings or nodes; strings become text. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.substring(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function table(headers, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {class: h.num ? 'num' : null}, h.label ?? h)))),
    el('tbody', {}, rows));
}

export function num(value, digits = 1) {
  if (value === undefined || value === null || Number.isNaN(Number(value))) return '–';
  const n = Number(value);
  return n >= 100 ? n.toFixed(0) : n.toFixed(digits);
}

export function percent(rate) {
  if (rate === undefined || rate === null) return '–';
  return (Number(rate) * 100).toFixed(Number(rate) >= 0.1 ? 0 : 1) + '%';
}

export function ms(value) {
  if (value === undefined || value === null) return '–';
  const n = Number(value);
  if (n >= 1000) return (n / 1000).toFixed(2) + ' s';
  return (n >= 10 ? n.toFixed(0) : n.toFixed(1)) + ' ms';
}

/** Health of a rate of errors: ok below 1%, warn below 5%, bad from 5%; idle without traffic. */
export function health(errorRate, rps) {
  if (!rps) return 'idle';
  if (errorRate >= 0.05) return 'bad';
  if (errorRate >= 0.01) return 'warn';
  return 'ok';
}

export const COLOURS = {ok: '#2e9e5b', warn: '#e0a100', bad: '#d64045', idle: '#9aa3af'};

/**
 * A point in time as milliseconds since the epoch, from what an API may send: an ISO-8601 text
 * (with micro- or nanoseconds kept as a fraction), or a number in seconds, milliseconds,
 * microseconds or nanoseconds (told apart by size).
 */
export function epochMillis(value) {
  if (typeof value === 'number') {
    if (value > 1e17) return value / 1e6;
    if (value > 1e14) return value / 1e3;
    if (value > 1e11) return value;
    return value * 1000;
  }
  if (typeof value === 'string') {
    const fraction = /\.(\d+)/.exec(value);
    const base = Date.parse(value);
    if (fraction && fraction[1].length > 3) {
      return base + Number('0.' + fraction[1].substring(3)) ;
    }
    return base;
  }
  return NaN;
}

export function clock(value) {
  const t = epochMillis(value);
  return Number.isNaN(t) ? String(value) : new Date(t).toLocaleString();
}

export function ago(value) {
  const seconds = Math.round((Date.now() - epochMillis(value)) / 1000);
  if (Number.isNaN(seconds)) return '';
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
  return Math.round(seconds / 86400) + ' d ago';
}

export function notice(text) {
  return el('p', {class: 'notice', role: 'status'}, text);
}

export const TELEMETRY_MISSING =
  'Telemetry is not available on this control plane (its /v1/telemetry API answered 404).';
