// Autosave for the side-by-side translation editor: a plain form POST, sent in the
// background a while after the last keystroke. Without JavaScript the Save button works.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var timer = null;
  var DELAY = 20000;
  function save() {
    var data = new FormData(form);
    data.set("then", "save");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (status) {
        status.textContent = response.type === "opaqueredirect" || response.ok
          ? form.getAttribute("data-saved") || "✓"
          : "!";
      }
    }).catch(function () {
      if (status) status.textContent = "!";
    });
  }
  form.addEventListener("input", function () {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  });
  form.addEventListener("submit", function () {
    if (timer) clearTimeout(timer);
  });
})();
