// The one progress poller (imports, mailings, exports): polls a JSON endpoint on this site
// only (CSP script-src 'self'; no inline script) and reloads the page when the work is done.
// Markup: an element with data-progress-url holding a <progress>, and a text element marked
// data-progress-text (or data-progress-label); optional data-done-text on the element.
// The endpoint answers {percent, processed, total, done} (or "finished"), and may add "label".
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text], [data-progress-label]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(tick, 3000); return; }
          if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
          if (text) {
            text.textContent = (data.label ? data.label + " · " : "") + data.processed + " / " + data.total;
          }
          if (data.done || data.finished) {
            if (text && box.getAttribute("data-done-text")) {
              text.textContent = box.getAttribute("data-done-text");
            }
            window.location.reload();
          } else {
            setTimeout(tick, 1000);
          }
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-progress-url]").forEach(poll);
  });
})();
