// Events: remember the browser's time zone (a cookie the server reads to show times), and
// load a recording's player only when the visitor clicks for it. No request leaves the site
// before that click.
(function () {
  "use strict";
  var COOKIE = "spilka_tz";
  function rawCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].split("=");
      if (kv[0] === name) return kv.slice(1).join("=");
    }
    return "";
  }
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    // Written as it is, not URL-encoded: the pattern only lets through characters a cookie
    // may carry, and the server reads the name as written ("Europe/Kyiv", not
    // "Europe%2FKyiv"). An older encoded cookie is replaced by the plain one.
    if (zone && /^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+)*$/.test(zone) && rawCookie(COOKIE) !== zone) {
      document.cookie = COOKIE + "=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* no Intl: times stay in the event's zone, labelled */ }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-embed-src]") : null;
    if (!button) return;
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = button.getAttribute("data-embed-src");
    frame.title = button.getAttribute("data-embed-title") || "";
    frame.className = "recording__frame";
    frame.setAttribute("allow", "fullscreen; picture-in-picture");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups");
    button.parentNode.replaceChild(frame, button);
  });
})();
