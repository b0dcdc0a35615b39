// kader serve: reloads pages when their source changes, swaps stylesheets
// when only CSS changed, and shows build errors over the page. Served at
// /__kader/livereload.js by the preview server only; never in a build.
(function () {
  "use strict";
  var key = "kader-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, parseInt(saved, 10) || 0); });
  }

  function overlay(diagnostics) {
    clear();
    if (!document.querySelector("link[data-kader-overlay]")) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "/__kader/overlay.css";
      css.setAttribute("data-kader-overlay", "");
      document.head.appendChild(css);
    }
    var box = document.createElement("div");
    box.id = "kader-overlay";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "kader-overlay-title");
    var h = document.createElement("h2");
    h.id = "kader-overlay-title";
    var errors = diagnostics.filter(function (d) { return d.severity === "error"; }).length;
    h.textContent = errors === 1 ? "1 error: the last good version is shown" : errors + " errors: the last good version is shown";
    box.appendChild(h);
    var list = document.createElement("ol");
    diagnostics.forEach(function (d) {
      var li = document.createElement("li");
      li.className = d.severity;
      var where = document.createElement("code");
      where.textContent = d.file + (d.line ? ":" + d.line + (d.column ? ":" + d.column : "") : "");
      var msg = document.createElement("p");
      msg.textContent = d.severity + "[" + d.code + "]: " + d.message;
      li.appendChild(where);
      li.appendChild(msg);
      if (d.hint) {
        var hint = document.createElement("p");
        hint.className = "hint";
        hint.textContent = "hint: " + d.hint;
        li.appendChild(hint);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", clear);
    box.appendChild(close);
    document.body.appendChild(box);
  }

  function clear() {
    var box = document.getElementById("kader-overlay");
    if (box) box.remove();
  }

  var events = new EventSource("/__kader/events");
  events.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data);
    if (data.all || data.pages.indexOf(location.pathname) !== -1) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    } else {
      clear();
    }
  });
  events.addEventListener("css", function () {
    clear();
    Array.prototype.forEach.call(document.querySelectorAll('link[rel="stylesheet"]'), function (l) {
      if (l.hasAttribute("data-kader-overlay")) return;
      var url = new URL(l.href);
      url.searchParams.set("v", String(Date.now()));
      l.href = url.href;
    });
  });
  events.addEventListener("errors", function (e) { overlay(JSON.parse(e.data)); });
  events.addEventListener("ok", clear);
})();
