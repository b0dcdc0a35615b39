// kader: progressive enhancement for tabs, list filters and definition
// tooltips. Plain JavaScript, no dependencies; pages work without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function initTabs(root) {
    var tabs = Array.prototype.slice.call(root.querySelectorAll(':scope > .tab-list > [role="tab"]'));
    var panels = tabs.map(function (t) { return document.getElementById(t.getAttribute("aria-controls")); });
    function select(i, focus) {
      tabs.forEach(function (t, k) {
        var on = k === i;
        t.setAttribute("aria-selected", on ? "true" : "false");
        t.tabIndex = on ? 0 : -1;
        if (panels[k]) panels[k].hidden = !on;
      });
      if (focus) tabs[i].focus();
    }
    tabs.forEach(function (t, i) {
      t.addEventListener("click", function () { select(i, false); });
      t.addEventListener("keydown", function (e) {
        var n = tabs.length, j = null;
        if (e.key === "ArrowRight") j = (i + 1) % n;
        else if (e.key === "ArrowLeft") j = (i - 1 + n) % n;
        else if (e.key === "Home") j = 0;
        else if (e.key === "End") j = n - 1;
        if (j !== null) { e.preventDefault(); select(j, true); }
      });
    });
    panels.forEach(function (p) { if (p) p.tabIndex = 0; });
    select(0, false);
  }

  function initList(list) {
    var form = list.querySelector("[data-list-filters]");
    if (!form) return;
    form.hidden = false;
    var rows = Array.prototype.slice.call(list.querySelectorAll("tbody tr"));
    var text = form.querySelector("[data-filter-text]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("[data-filter-key]"));
    var count = list.querySelector("[data-list-count]");
    var fold = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    var haystacks = rows.map(function (r) { return fold(r.textContent); });
    function apply() {
      var q = text ? fold(text.value.trim()) : "";
      var words = q ? q.split(/\s+/) : [];
      var wanted = selects.filter(function (s) { return s.value; }).map(function (s) { return s.getAttribute("data-filter-key") + ":" + s.value; });
      var shown = 0;
      rows.forEach(function (r, i) {
        var terms = " " + (r.getAttribute("data-terms") || "") + " ";
        var ok = words.every(function (w) { return haystacks[i].indexOf(w) !== -1; }) &&
          wanted.every(function (w) { return terms.indexOf(" " + w + " ") !== -1; }) &&
          !r.hasAttribute("data-not-applicable");
        r.hidden = !ok;
        if (ok) shown++;
      });
      if (count) {
        var active = q || wanted.length || list.querySelector("tr[data-not-applicable]");
        count.textContent = active ? count.getAttribute("data-template").replace("{shown}", shown).replace("{total}", rows.length) : "";
      }
    }
    list.addEventListener("kader:refilter", apply);
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  }

  function initDefinitions() {
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      var a = document.activeElement;
      if (a && a.matches && a.matches("abbr[title]")) a.classList.add("dismissed");
      var open = document.querySelectorAll(".defterm");
      Array.prototype.forEach.call(open, function (d) {
        if (d.matches(":hover") || d.contains(document.activeElement)) d.classList.add("dismissed");
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("abbr[title][tabindex]"), function (a) {
      a.addEventListener("blur", function () { a.classList.remove("dismissed"); });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".defterm"), function (d) {
      var reset = function () { d.classList.remove("dismissed"); };
      d.addEventListener("mouseleave", reset);
      d.addEventListener("focusout", reset);
    });
  }

  // The "Exporteer" menus: their script (and, through it, the wasm writer)
  // is loaded only when a menu is first opened.
  function initExport() {
    var menus = document.querySelectorAll("details[data-export]");
    var loaded = false;
    Array.prototype.forEach.call(menus, function (d) {
      d.addEventListener("toggle", function () {
        if (!d.open || loaded) return;
        loaded = true;
        var s = document.createElement("script");
        s.src = d.getAttribute("data-script");
        document.head.appendChild(s);
      });
    });
  }

  function init() {
    initExport();
    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), initTabs);
    Array.prototype.forEach.call(document.querySelectorAll("[data-list]"), initList);
    initDefinitions();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Image zoom: a link to an image (class "zoom", site.toml [theme]
// image_zoom) opens it in a dialog on the page; without JavaScript the link
// simply shows the image. Escape, the close button or a click on the
// backdrop closes it and focus returns to the link.
(function () {
  "use strict";
  function init() {
    var links = document.querySelectorAll("a.zoom");
    if (!links.length || typeof HTMLDialogElement !== "function") return;
    var lang = document.documentElement.lang;
    var closeText = lang === "nl" ? "Sluiten" : "Close";
    var dialog = document.createElement("dialog");
    dialog.className = "zoom-dialog";
    var form = document.createElement("form");
    form.method = "dialog";
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = closeText;
    form.appendChild(button);
    var img = document.createElement("img");
    dialog.appendChild(form);
    dialog.appendChild(img);
    document.body.appendChild(dialog);
    var opener = null;
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener("close", function () { if (opener) opener.focus(); });
    Array.prototype.forEach.call(links, function (a) {
      a.addEventListener("click", function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        var small = a.querySelector("img");
        img.src = a.href;
        img.alt = small ? small.alt : "";
        opener = a;
        dialog.showModal();
        button.focus();
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
