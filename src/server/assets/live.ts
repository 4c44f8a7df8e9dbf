// The live-update script, served as an external file (/static/live.js) so the CSP needs no inline script.
// It listens to /api/v1/stream (server-sent events); when a newer snapshot appears it fetches the
// current page again and swaps in its <main>. The chart gets a hover crosshair with the values under
// it, and on touch screens a first tap on a move shows its headline, a second opens the day.
// Without JavaScript the pages work unchanged. Listeners are delegated: <main> is swapped on updates.
export const LIVE_JS = `(function () {
  'use strict';
  if (!window.EventSource || !window.DOMParser) return;
  var body = document.body;
  var status = document.getElementById('live-status');
  var shown = body.getAttribute('data-snapshot') || '';
  function say(t) { if (status) status.textContent = t; }
  function refresh(id) {
    fetch(location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var next = doc.getElementById('main');
        var main = document.getElementById('main');
        if (next && main) main.replaceChildren.apply(main, Array.prototype.slice.call(next.childNodes).map(function (n) { return document.importNode(n, true); }));
        shown = id;
        body.setAttribute('data-snapshot', id);
        say('Updated with the latest forecast.');
      })
      .catch(function () { say('New forecast available: reload the page.'); });
  }
  // Under a path prefix (BASE_URL=https://example.org/bellwether/) this script is /bellwether/static/live.js:
  // the stream is beside it. A question's pages name their own stream (data-stream, root-relative).
  var script = document.currentScript;
  var base = script && script.src ? new URL('..', script.src).pathname : '/';
  var stream = document.body.getAttribute('data-stream') || '/api/v1/stream';
  var es = new EventSource(base + (stream.charAt(0) === '/' ? stream.slice(1) : stream));
  es.addEventListener('snapshot', function (e) {
    var id = String(JSON.parse(e.data).id || '');
    if (id && id !== shown) refresh(id);
  });
  es.onerror = function () { say('Live updates paused.'); };
  es.onopen = function () { say('Live'); };
})();
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function num(el, name) { return Number(el.getAttribute(name)); }
  function series(svg) {
    if (svg.__series) return svg.__series;
    svg.__series = Array.prototype.map.call(svg.querySelectorAll('polyline.line'), function (pl) {
      var pts = (pl.getAttribute('points') || '').trim().split(/\\s+/).map(function (xy) {
        var v = xy.split(','); return [Number(v[0]), Number(v[1])];
      });
      return { name: pl.getAttribute('data-name') || '', pts: pts };
    });
    return svg.__series;
  }
  function nearest(pts, x) {
    var lo = 0, hi = pts.length - 1;
    while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (pts[mid][0] < x) lo = mid; else hi = mid; }
    return Math.abs(pts[lo][0] - x) <= Math.abs(pts[hi][0] - x) ? pts[lo] : pts[hi];
  }
  function hide(svg) {
    var line = svg.querySelector('.crosshair');
    if (line) line.setAttribute('visibility', 'hidden');
    var out = svg.parentNode && svg.parentNode.querySelector('.readout');
    if (out) out.textContent = '';
  }
  document.addEventListener('pointermove', function (e) {
    var svg = e.target && e.target.closest ? e.target.closest('svg.chart-svg') : null;
    if (!svg || !svg.getScreenCTM) return;
    var m = svg.getScreenCTM();
    if (!m) return;
    var pt = svg.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
    var p = pt.matrixTransform(m.inverse());
    var x0 = num(svg, 'data-x0'), x1 = num(svg, 'data-x1'), y0 = num(svg, 'data-y0'), y1 = num(svg, 'data-y1');
    var list = series(svg);
    if (p.x < x0 || p.x > x1 || list.length === 0 || list[0].pts.length === 0) return hide(svg);
    var line = svg.querySelector('.crosshair');
    if (!line) {
      line = document.createElementNS(NS, 'line');
      line.setAttribute('class', 'crosshair');
      line.setAttribute('pointer-events', 'none');
      svg.insertBefore(line, svg.querySelector('.move, .tips'));
    }
    var at = nearest(list[0].pts, p.x);
    line.setAttribute('x1', at[0]); line.setAttribute('x2', at[0]);
    line.setAttribute('y1', y0); line.setAttribute('y2', y1);
    line.setAttribute('visibility', 'visible');
    var t = new Date(num(svg, 'data-t0') + ((at[0] - x0) / (x1 - x0)) * (num(svg, 'data-t1') - num(svg, 'data-t0')));
    var parts = list.map(function (s) {
      var q = nearest(s.pts, p.x);
      return s.name + ' ' + (((y1 - q[1]) / (y1 - y0)) * 100).toFixed(1) + '%';
    });
    var out = svg.parentNode.querySelector('.readout');
    if (out) out.textContent = t.getDate() + ' ' + MONTHS[t.getMonth()] + ' ' + t.getFullYear() + ': ' + parts.join(' · ');
  });
  document.addEventListener('pointerout', function (e) {
    var svg = e.target && e.target.closest ? e.target.closest('svg.chart-svg') : null;
    if (svg && !(e.relatedTarget && svg.contains(e.relatedTarget))) hide(svg);
  });
  // A click on the plot (not on a move marker) opens what changed on the day under the pointer.
  document.addEventListener('click', function (e) {
    var svg = e.target && e.target.closest ? e.target.closest('svg.chart-svg') : null;
    if (!svg || e.target.closest('a') || !svg.getScreenCTM || e.defaultPrevented) return;
    var m = svg.getScreenCTM();
    if (!m) return;
    var pt = svg.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
    var p = pt.matrixTransform(m.inverse());
    var x0 = num(svg, 'data-x0'), x1 = num(svg, 'data-x1');
    if (p.x < x0 || p.x > x1 || p.y < num(svg, 'data-y0') || p.y > num(svg, 'data-y1')) return;
    var t = num(svg, 'data-t0') + ((p.x - x0) / (x1 - x0)) * (num(svg, 'data-t1') - num(svg, 'data-t0'));
    location.href = (svg.getAttribute('data-day-href') || base + 'days/') + new Date(t).toISOString().slice(0, 10);
  });
  // Touch: the first tap on a move shows its headline (focus), the second follows the link.
  // The tap itself focuses the link before 'click', so whether it was already shown is noted on pointerdown.
  var touch = false, shownBefore = null;
  document.addEventListener('pointerdown', function (e) {
    touch = e.pointerType === 'touch';
    shownBefore = document.activeElement;
  }, true);
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a.move') : null;
    if (!a || !touch || shownBefore === a) return;
    e.preventDefault();
    a.focus();
  });
})();
(function () {
  'use strict';
  // Times in the reader's time zone, UTC on hover (the title). Without JavaScript, UTC stays.
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var UTC_TEXT = /^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC$/;
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function zone(d) {
    try {
      var part = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(d)
        .filter(function (p) { return p.type === 'timeZoneName'; })[0];
      return part ? ' ' + part.value : '';
    } catch (e) { return ''; }
  }
  function localise(root) {
    Array.prototype.forEach.call(root.querySelectorAll('time[datetime]'), function (el) {
      if (el.hasAttribute('data-local')) return;
      var text = (el.textContent || '').trim();
      if (!UTC_TEXT.test(text)) return;
      var d = new Date(el.getAttribute('datetime'));
      if (isNaN(d.getTime())) return;
      el.setAttribute('data-local', '');
      el.setAttribute('title', text);
      el.textContent = d.getDate() + ' ' + MONTHS[d.getMonth()] + ' ' + d.getFullYear() + ', ' +
        pad(d.getHours()) + ':' + pad(d.getMinutes()) + zone(d);
    });
  }
  localise(document);
  var main = document.getElementById('main');
  if (main && window.MutationObserver) new MutationObserver(function () { localise(main); }).observe(main, { childList: true, subtree: true });
})();
`;
