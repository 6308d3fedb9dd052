// Progress bars for imports and mailings: polls a JSON endpoint on this site only
// (CSP script-src 'self'; no inline script), reloads the page when the work is done.
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-progress-url");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(tick, 3000); return; }
          bar.value = data.percent;
          text.textContent = data.processed + " / " + data.total;
          if (data.done) {
            text.textContent = box.getAttribute("data-done-text");
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
