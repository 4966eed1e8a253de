// The script of the HTML graph page, inlined (no CDN, no framework): pan by
// dragging and zoom with the wheel by moving the SVG's viewBox, a search box
// that highlights matching targets, and a side panel with the clicked
// target's status, reasons and fingerprint inputs. Plain ES2017 for any
// browser; it builds the panel with textContent only, so no value from the
// configs is ever parsed as HTML.
export const pageScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('phx-data').textContent);
  var canvas = document.getElementById('canvas');
  var svg = canvas.querySelector('svg');
  var details = document.getElementById('details');
  var search = document.getElementById('search');
  var count = document.getElementById('count');
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', '100%');
  // From the attribute, not viewBox.baseVal: its float32 would not give "fit" back exactly.
  var vb = svg.getAttribute('viewBox').trim().split(/[\s,]+/).map(Number);
  var home = { x: vb[0], y: vb[1], w: vb[2], h: vb[3] };
  var view = { x: home.x, y: home.y, w: home.w, h: home.h };
  function apply() {
    svg.setAttribute('viewBox', [view.x, view.y, view.w, view.h].join(' '));
  }
  function toGraph(clientX, clientY) {
    var p = svg.createSVGPoint();
    p.x = clientX;
    p.y = clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  function zoom(factor, clientX, clientY) {
    var p = toGraph(clientX, clientY);
    view.x = p.x - (p.x - view.x) * factor;
    view.y = p.y - (p.y - view.y) * factor;
    view.w *= factor;
    view.h *= factor;
    apply();
  }
  function zoomCentre(factor) {
    var r = svg.getBoundingClientRect();
    zoom(factor, r.left + r.width / 2, r.top + r.height / 2);
  }
  function fit() {
    view = { x: home.x, y: home.y, w: home.w, h: home.h };
    apply();
  }
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    zoom(Math.exp(e.deltaY * 0.0015), e.clientX, e.clientY);
  }, { passive: false });

  // Drag pans; a press that moved is not a click on the node under it.
  var drag = null;
  var dragged = false;
  svg.addEventListener('pointerdown', function (e) {
    if (e.button !== 0) return;
    dragged = false;
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, scale: svg.getScreenCTM().a };
    canvas.classList.add('dragging');
  });
  window.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x;
    var dy = e.clientY - drag.y;
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) return;
    dragged = true;
    view.x = drag.vx - dx / drag.scale;
    view.y = drag.vy - dy / drag.scale;
    apply();
  });
  window.addEventListener('pointerup', function () {
    drag = null;
    canvas.classList.remove('dragging');
  });
  document.getElementById('zoom-in').addEventListener('click', function () { zoomCentre(1 / 1.25); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoomCentre(1.25); });
  document.getElementById('fit').addEventListener('click', fit);

  // Nodes by target id: Graphviz writes each node's id as its <title>.
  var nodes = {};
  Array.prototype.forEach.call(svg.querySelectorAll('g.node'), function (g) {
    var id = g.querySelector('title').textContent;
    if (!data.nodes[id]) return;
    nodes[id] = g;
    g.setAttribute('data-id', id);
    g.setAttribute('tabindex', '0');
    g.addEventListener('click', function () {
      if (!dragged) show(id);
    });
    g.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') show(id);
    });
  });
  var ids = Object.keys(nodes);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function section(title) {
    details.appendChild(el('h3', '', title));
  }
  function table(rows, onClick) {
    var t = el('table', 'kv');
    rows.forEach(function (row) {
      var tr = el('tr');
      var k = el('th', '', row[0]);
      if (onClick && nodes[row[0]]) {
        k.className = 'link';
        k.addEventListener('click', function () { show(row[0]); });
      }
      tr.appendChild(k);
      tr.appendChild(el('td', '', row[1]));
      t.appendChild(tr);
    });
    details.appendChild(t);
  }
  function value(v) {
    var s = typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > 300 ? s.slice(0, 300) + '…' : s;
  }
  var selected = null;
  function show(id) {
    var n = data.nodes[id];
    if (selected) selected.classList.remove('selected');
    selected = nodes[id];
    selected.classList.add('selected');
    details.textContent = '';
    details.appendChild(el('h2', 'target-id', id));
    var line = el('p', 'status-line');
    line.appendChild(el('span', 'chip status-' + n.status, n.status));
    line.appendChild(document.createTextNode(' ' + n.kind + ' of ' + n.entry + ' ' + (data.guests[n.entry] || '')));
    details.appendChild(line);
    section(n.reasons.length ? 'Why it would rebuild' : 'Up to date');
    var ul = el('ul', 'reasons');
    n.reasons.forEach(function (r) { ul.appendChild(el('li', '', r)); });
    if (!n.reasons.length) ul.appendChild(el('li', 'none', n.status === 'failed' ? 'its last build at this fingerprint failed' : 'nothing changed since it was built'));
    details.appendChild(ul);
    section('Fingerprint');
    details.appendChild(el('code', 'fingerprint', n.hash));
    section('Inputs');
    table([
      ['rule', n.inputs.rule.kind + ' ' + n.inputs.rule.digest],
      ['backend', n.inputs.backend],
    ]);
    var config = Object.keys(n.inputs.config);
    if (config.length) {
      section('Config (' + config.length + ')');
      table(config.map(function (k) { return [k, value(n.inputs.config[k])]; }));
    }
    var files = Object.keys(n.inputs.files);
    if (files.length) {
      section('Files (' + files.length + ')');
      table(files.map(function (k) { return [k, n.inputs.files[k]]; }));
    }
    var up = Object.keys(n.inputs.upstream);
    if (up.length) {
      section('Upstream (' + up.length + ')');
      table(up.map(function (k) { return [k, n.inputs.upstream[k]]; }), true);
    }
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && document.activeElement !== search) {
      if (selected) selected.classList.remove('selected');
      selected = null;
      details.textContent = '';
      details.appendChild(el('p', 'hint', 'Click a target to see why it would rebuild and what its fingerprint covers.'));
    }
  });

  function centreOn(g) {
    var r = g.getBoundingClientRect();
    var p = toGraph(r.left + r.width / 2, r.top + r.height / 2);
    view.x = p.x - view.w / 2;
    view.y = p.y - view.h / 2;
    apply();
  }
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    var found = [];
    canvas.classList.toggle('searching', q !== '');
    ids.forEach(function (id) {
      var n = data.nodes[id];
      var hit = q !== '' && (id.toLowerCase().indexOf(q) >= 0 || n.status === q || (data.guests[n.entry] || '').toLowerCase().indexOf(q) >= 0);
      nodes[id].classList.toggle('match', hit);
      if (hit) found.push(id);
    });
    count.textContent = q === '' ? ids.length + ' targets' : found.length + ' of ' + ids.length;
    return found;
  }
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter') return;
    var found = runSearch();
    if (found.length) {
      show(found[0]);
      centreOn(nodes[found[0]]);
    }
  });
  runSearch();
})();
`;
