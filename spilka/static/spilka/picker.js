// Organisation picker: find as you type (ARIA combobox with a listbox).
// Without this script the text box is a search that the server answers with boxes to
// tick (spilka/network/pickers.py); with it, matches come from the picker endpoint,
// which answers only with organisations the form would accept.
(function () {
  "use strict";
  if (window.spilkaPicker) { return; }
  window.spilkaPicker = true;

  function enhance(root) {
    if (root.dataset.enhanced || !root.dataset.url) { return; }
    root.dataset.enhanced = "1";
    var input = root.querySelector(".picker-box input");
    var listbox = root.querySelector("[role=listbox]");
    var chosen = root.querySelector(".picker-chosen");
    var status = root.querySelector(".picker-status");
    var name = root.dataset.name;
    var type = root.dataset.type;
    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    // What is typed is never sent with the form: the script does the searching.
    input.removeAttribute("name");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function isChosen(value) {
      return Array.prototype.some.call(chosen.querySelectorAll("input"), function (box) {
        return box.value === value && box.checked;
      });
    }

    function pick(li) {
      var value = li.dataset.value;
      if (type === "radio") {
        chosen.querySelectorAll("li:not(.picker-none)").forEach(function (el) { el.remove(); });
      }
      if (!isChosen(value)) {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = type;
        box.name = name;
        box.value = value;
        box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + li.textContent));
        item.appendChild(label);
        chosen.appendChild(item);
      }
      input.value = "";
      close();
      status.textContent = li.textContent;
      input.focus();
    }

    function show(results) {
      listbox.textContent = "";
      options = results.map(function (r, i) {
        var li = document.createElement("li");
        li.id = listbox.id + "_" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.value = String(r.value);
        li.textContent = r.country ? r.name + " (" + r.country + ")" : r.name;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(li); });
        listbox.appendChild(li);
        return li;
      });
      if (!options.length) {
        var none = document.createElement("li");
        none.className = "picker-empty";
        none.textContent = root.dataset.none;
        listbox.appendChild(none);
      }
      status.textContent = options.length
        ? root.dataset.count.replace("%(count)s", String(options.length))
        : root.dataset.none;
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(options.length ? 0 : -1);
    }

    function search() {
      var query = input.value.trim();
      if (!query) { close(); return; }
      var ticket = ++asked;
      var url = root.dataset.url + "?scope=" + encodeURIComponent(root.dataset.scope) +
        "&q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === asked) { show(data.results || []); } })
        .catch(function () { if (ticket === asked) { show([]); } });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { search(); return; }
        if (options.length) { highlight((active + 1) % options.length); }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open && options.length) { highlight((active - 1 + options.length) % options.length); }
      } else if (event.key === "Enter") {
        // Enter in the box picks; it never submits the form half-filled.
        event.preventDefault();
        if (open && active >= 0) { pick(options[active]); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); } else { input.value = ""; }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function start() { document.querySelectorAll("[data-picker]").forEach(enhance); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
