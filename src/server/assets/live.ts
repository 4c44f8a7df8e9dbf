// The live-update script, served as an external file (/static/live.js) so the CSP needs no inline script.
// It listens to /api/v1/stream (server-sent events); when a newer snapshot appears it fetches the
// current page again and swaps in its <main>. Without JavaScript the pages work unchanged.
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
  var es = new EventSource('/api/v1/stream');
  es.addEventListener('snapshot', function (e) {
    var id = String(JSON.parse(e.data).id || '');
    if (id && id !== shown) refresh(id);
  });
  es.onerror = function () { say('Live updates paused.'); };
  es.onopen = function () { say('Live'); };
})();
`;
