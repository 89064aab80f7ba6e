// The configuration history: every revision with who made it, when, and what it changed
// (GET /v1/revisions); a revision's page shows each changed resource before and after it
// (GET /v1/revisions/N and GET /v1/diff?from=N-1&to=N).
import {getJson} from '/ui/js/api.js';
import {ago, clock, el, notice, table} from '/ui/js/format.js';

export function mount(view, route) {
  if (route.parts[0]) {
    detail(view, Number(route.parts[0]));
  } else {
    list(view);
  }
  return () => {};
}

function changeList(changes) {
  return el('ul', {class: 'changes'},
    (changes || []).map((c) => el('li', {}, c.op + ' ', el('span', {class: 'mono'}, c.kind + '/' + c.name))));
}

async function list(view) {
  const box = el('div', {id: 'history'}, el('p', {class: 'muted'}, 'Loading…'));
  view.append(el('h1', {}, 'Configuration history'), box);
  try {
    const items = (await getJson('/v1/revisions?limit=200')).items || [];
    if (items.length === 0) {
      box.replaceChildren(el('p', {class: 'muted'}, 'Nothing has been applied yet.'));
      return;
    }
    const rows = items.map((r) => el('tr', {class: 'clickable', id: 'revision-' + r.revision,
        'data-revision': r.revision, onclick: () => (location.hash = '#/history/' + r.revision)},
      el('td', {class: 'num'}, el('a', {href: '#/history/' + r.revision}, String(r.revision))),
      el('td', {class: 'who'}, r.actor),
      el('td', {title: clock(r.time)}, clock(r.time), el('br'), el('span', {class: 'muted'}, ago(r.time))),
      el('td', {}, r.message || ''),
      el('td', {}, changeList(r.changes))));
    box.replaceChildren(table([{label: 'Revision', num: true}, 'Who', 'When', 'Message', 'What changed'], rows));
  } catch (e) {
    box.replaceChildren(notice(e.message));
  }
}

async function detail(view, number) {
  const box = el('div', {id: 'revision'}, el('p', {class: 'muted'}, 'Loading…'));
  view.append(
    el('p', {class: 'status'}, el('a', {href: '#/history'}, '← History'),
      number > 1 ? [' · ', el('a', {href: '#/history/' + (number - 1)}, '← revision ' + (number - 1))] : null,
      ' · ', el('a', {href: '#/history/' + (number + 1)}, 'revision ' + (number + 1) + ' →')),
    el('h1', {}, 'Revision ' + number),
    box);
  try {
    const revision = await getJson('/v1/revisions/' + number);
    const diff = number > 1 ? await getJson('/v1/diff?from=' + (number - 1) + '&to=' + number) : null;
    const summary = table(['Who', 'When', 'Message'], [el('tr', {},
      el('td', {class: 'who'}, revision.actor),
      el('td', {}, clock(revision.time) + ' (' + ago(revision.time) + ')'),
      el('td', {}, revision.message || ''))]);
    const changes = (diff ? diff.changes : revision.changes) || [];
    box.replaceChildren(summary, ...changes.map((c) => el('section', {class: 'change'},
      el('h2', {}, c.op + ' ', el('span', {class: 'mono'}, c.kind + '/' + c.name)),
      diff ? el('div', {class: 'diff'},
        el('div', {}, el('p', {class: 'muted'}, 'before'), el('pre', {}, c.before ? JSON.stringify(c.before, null, 2) : '(none)')),
        el('div', {}, el('p', {class: 'muted'}, 'after'), el('pre', {}, c.after ? JSON.stringify(c.after, null, 2) : '(deleted)')))
        : el('p', {class: 'muted'}, 'The first revision: everything in it was created.'))));
  } catch (e) {
    box.replaceChildren(notice(e.message));
  }
}
