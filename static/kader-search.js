// kader: in-browser search. Drives the query engine in kader-search.wasm
// (the kader-search crate, raw C ABI: see crates/wasm/src/search.rs) over
// the site's chunked index. Plain JavaScript, no dependencies. Nothing is
// fetched until the search box is focused or typed in; the box stays hidden
// without JavaScript (or without WebAssembly).
(function () {
  "use strict";
  if (typeof WebAssembly !== "object" || typeof fetch !== "function" || typeof TextEncoder !== "function") return;

  var DEBOUNCE_MS = 80;
  var ANNOUNCE_MS = 600;
  var PAGE = 10; // results shown at first and added by "more"
  var MIN_CHARS = 2; // one letter finds nothing useful and costs a chunk
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  // ------------------------------------------------------------ fetching

  function fetchBytes(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
      return r.arrayBuffer();
    }).then(function (b) { return new Uint8Array(b); });
  }

  var modules = {}; // wasm URL -> Promise<exports>
  function loadModule(url) {
    if (!modules[url]) {
      var p = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status + " for " + url);
        if (typeof WebAssembly.instantiateStreaming === "function") {
          var copy = r.clone();
          return WebAssembly.instantiateStreaming(r, {}).catch(function () {
            // Served without application/wasm: compile from the bytes.
            return copy.arrayBuffer().then(function (b) { return WebAssembly.instantiate(b, {}); });
          });
        }
        return r.arrayBuffer().then(function (b) { return WebAssembly.instantiate(b, {}); });
      }).then(function (res) { return res.instance.exports; });
      p.catch(function () { delete modules[url]; }); // retry on the next query
      modules[url] = p;
    }
    return modules[url];
  }

  // ------------------------------------------------------------ the ABI

  // Copies `bytes` into the module, calls fn(ptr, len), frees the copy.
  function withBytes(x, bytes, fn) {
    var len = bytes.length;
    var ptr = x.kader_alloc(len);
    new Uint8Array(x.memory.buffer, ptr, len).set(bytes);
    try {
      return fn(ptr, len);
    } finally {
      x.kader_free(ptr, len);
    }
  }

  function withText(x, s, fn) {
    return withBytes(x, encoder.encode(s), fn);
  }

  // A packed (ptr << 32 | len) result: read the JSON, free the buffer.
  function take(x, packed) {
    var big = BigInt.asUintN(64, BigInt(packed));
    var ptr = Number(big >> BigInt(32));
    var len = Number(big & BigInt(0xffffffff));
    var s = decoder.decode(new Uint8Array(x.memory.buffer, ptr, len).slice());
    x.kader_free(ptr, len);
    return JSON.parse(s);
  }

  // One index (one language): the module, a session handle and a file cache.
  function Engine(wasmUrl, indexUrl) {
    this.wasmUrl = wasmUrl;
    this.indexUrl = indexUrl;
    this.ready = null;
    this.files = {}; // name -> Promise<Uint8Array>
    this.added = {}; // name -> true once given to the engine
  }

  Engine.prototype.init = function () {
    var self = this;
    if (!this.ready) {
      this.ready = Promise.all([loadModule(this.wasmUrl), fetchBytes(this.indexUrl + "meta.bin")]).then(function (a) {
        var x = a[0];
        var h = withBytes(x, a[1], function (p, n) { return x.search_open(p, n); });
        if (!h) throw new Error("unreadable search index " + self.indexUrl);
        self.x = x;
        self.h = h;
      });
      this.ready.catch(function () { self.ready = null; });
    }
    return this.ready;
  };

  Engine.prototype.file = function (name) {
    var files = this.files;
    if (!files[name]) {
      files[name] = fetchBytes(this.indexUrl + encodeURIComponent(name));
      files[name].catch(function () { delete files[name]; });
    }
    return files[name];
  };

  // Fetches the named files (in parallel) and hands them to the engine.
  Engine.prototype.load = function (names, add) {
    var self = this;
    return Promise.all(names.map(function (n) { return self.file(n); })).then(function (datas) {
      var x = self.x;
      names.forEach(function (n, i) {
        if (self.added[n]) return;
        var status = withText(x, n, function (np, nl) {
          return withBytes(x, datas[i], function (dp, dl) { return x[add](self.h, np, nl, dp, dl); });
        });
        if (status !== 0) throw new Error("corrupt search file " + n);
        self.added[n] = true;
      });
    });
  };

  // Loads the chunks `q` needs, in rounds: a query word the index does not
  // know is split into index words once the chunks around it are loaded, and
  // those words may live in further chunks. Resolves to false when
  // isCurrent() turned false.
  Engine.prototype.loadChunks = function (q, isCurrent, round) {
    var self = this, x = this.x;
    if (!isCurrent()) return Promise.resolve(false);
    var chunks = take(x, withText(x, q, function (p, n) { return x.search_chunks_needed(self.h, p, n); }));
    if (!chunks.length || round >= 8) return Promise.resolve(true);
    return this.load(chunks, "search_add_chunk").then(function () {
      return self.loadChunks(q, isCurrent, round + 1);
    });
  };

  // Every hit of `q`: resolves to the number of hits (kept in the engine),
  // or null when isCurrent() turned false.
  Engine.prototype.searchAll = function (q, isCurrent) {
    var self = this;
    return this.init().then(function () {
      if (!isCurrent()) return null;
      return self.loadChunks(q, isCurrent, 0).then(function (ok) {
        if (!ok) return null;
        self.lastQuery = q;
        return take(self.x, withText(self.x, q, function (p, n) { return self.x.search_run_all(self.h, p, n); })).count;
      });
    });
  };

  // Results from..from+n of `q` (after searchAll), or null when isCurrent()
  // turned false. Another query may have run meanwhile: the engine then
  // runs this one again (its chunks are loaded, so that is synchronous).
  Engine.prototype.page = function (q, from, n, isCurrent) {
    var self = this, x = this.x;
    var ensure = function () {
      if (self.lastQuery === q) return;
      take(x, withText(x, q, function (p, l) { return x.search_run_all(self.h, p, l); }));
      self.lastQuery = q;
    };
    ensure();
    var names = take(x, x.search_fragments_for(self.h, from, n));
    return this.load(names, "search_add_fragment").then(function () {
      if (!isCurrent()) return null;
      ensure();
      return take(x, x.search_results_range(self.h, from, n));
    });
  };

  var engines = {}; // wasm URL + index URL -> Engine
  function engineFor(wasmUrl, indexUrl) {
    var key = wasmUrl + "\n" + indexUrl;
    return engines[key] || (engines[key] = new Engine(wasmUrl, indexUrl));
  }

  // ------------------------------------------------------------ the UI

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  // Text with <mark> around the UTF-16 ranges, built as DOM (never HTML).
  function marked(parent, text, ranges) {
    var at = 0;
    (ranges || []).forEach(function (r) {
      var s = Math.max(r[0], at), e = Math.min(r[1], text.length);
      if (e <= s) return;
      if (s > at) parent.appendChild(document.createTextNode(text.slice(at, s)));
      var m = document.createElement("mark");
      m.textContent = text.slice(s, e);
      parent.appendChild(m);
      at = e;
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  // Only follow same-origin http(s) URLs from the index.
  function safeUrl(u) {
    try {
      var url = new URL(u, location.href);
      if ((url.protocol === "http:" || url.protocol === "https:") && url.origin === location.origin) return url.href;
    } catch (e) { /* fall through */ }
    return null;
  }

  function initSearch(form, n) {
    var input = form.querySelector('[role="combobox"]');
    var list = form.querySelector('[role="listbox"]');
    var panel = form.querySelector(".site-search-panel");
    var status = form.querySelector(".site-search-status");
    var live = form.querySelector("[data-search-live]");
    var more = form.querySelector("[data-search-more]");
    var indexUrl = form.getAttribute("data-index");
    var wasmUrl = form.getAttribute("data-wasm");
    if (!input || !list || !panel || !indexUrl || !wasmUrl) return;
    var text = function (k, fallback) { return form.getAttribute("data-text-" + k) || fallback; };
    var engine = engineFor(new URL(wasmUrl, location.href).href, new URL(indexUrl, location.href).href);
    var idBase = list.id || "site-search-results-" + n;
    var results = [];
    var total = 0; // hits of the query shown
    var shownQuery = "";
    var active = -1;
    var seq = 0; // number of the latest query
    var debounce = null, announceTimer = null, loadingTimer = null;

    form.hidden = false;

    function announce(msg) {
      clearTimeout(announceTimer);
      if (!live) return;
      announceTimer = setTimeout(function () { live.textContent = msg; }, ANNOUNCE_MS);
    }

    function setOpen(open) {
      panel.hidden = !open;
      input.setAttribute("aria-expanded", open && !list.hidden ? "true" : "false");
      form.classList.toggle("is-open", open);
    }

    function setStatus(msg, kind) {
      status.textContent = msg || "";
      status.hidden = !msg;
      status.className = "site-search-status" + (kind ? " is-" + kind : "");
    }

    function setActive(i) {
      var opts = list.children;
      if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && opts[i]) {
        opts[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opts[i].id);
        if (opts[i].scrollIntoView) opts[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function clearResults() {
      results = [];
      total = 0;
      setActive(-1);
      while (list.firstChild) list.removeChild(list.firstChild);
      list.hidden = true;
      if (more) more.hidden = true;
    }

    function countText(n) {
      return n === 1 ? text("count-one", "1") : text("count", "{n}").replace("{n}", String(n));
    }

    // The count above the list and the "more" button below it.
    function showCount() {
      if (!results.length) return;
      var msg = results.length < total
        ? text("count-shown", "{shown}/{n}").replace("{shown}", String(results.length)).replace("{n}", String(total))
        : countText(total);
      setStatus(msg, "count");
      if (more) more.hidden = results.length >= total;
      return msg;
    }

    function close() {
      clearTimeout(loadingTimer);
      setActive(-1);
      setOpen(false);
    }

    function follow(i, newTab) {
      var r = results[i];
      var url = r && safeUrl(r.url);
      if (!url) return;
      if (newTab) {
        window.open(url, "_blank", "noopener");
        return;
      }
      close();
      var here = location.href.split("#")[0];
      location.assign(url);
      // Same page, another anchor: no navigation happens, so move focus there.
      if (url.split("#")[0] === here) {
        var id = url.split("#")[1] || "";
        try { id = decodeURIComponent(id); } catch (e) { /* keep it as written */ }
        var target = id && document.getElementById(id);
        if (target) {
          if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
          target.focus();
        }
      }
    }

    // data-state (busy, done, error, idle) and data-query say what is shown.
    function setState(state, q) {
      form.setAttribute("data-state", state);
      if (q === undefined) form.removeAttribute("data-query");
      else form.setAttribute("data-query", q);
    }

    function append(items) {
      var start = results.length;
      results = results.concat(items);
      items.forEach(function (r, k) {
        var i = start + k;
        var li = document.createElement("li");
        li.id = idBase + "-" + i;
        li.className = "site-search-result";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-url", r.url);
        var title = document.createElement("span");
        title.className = "site-search-title";
        marked(title, r.title, r.titleHighlights);
        li.appendChild(title);
        if (r.section && r.section !== r.title) {
          var sec = document.createElement("span");
          sec.className = "site-search-section";
          sec.textContent = text("in", "in") + " " + r.section;
          li.appendChild(sec);
        }
        if (r.snippet) {
          var snip = document.createElement("span");
          snip.className = "site-search-snippet";
          marked(snip, r.snippet, r.highlights);
          li.appendChild(snip);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep focus in the box
        li.addEventListener("click", function (e) { follow(i, e.ctrlKey || e.metaKey || e.shiftKey); });
        li.addEventListener("auxclick", function (e) { if (e.button === 1) follow(i, true); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
    }

    function render(items, q, count) {
      clearResults();
      total = count;
      shownQuery = q;
      append(items);
      var msg = showCount();
      if (!items.length) setStatus(text("none", "0"), "empty");
      setOpen(true);
      announce(items.length ? countText(total) : text("none", "0"));
      setState("done", q);
    }

    // "More results": the next page of the same query; the first new
    // result becomes the active option and focus returns to the box.
    function showMore() {
      var q = shownQuery, mine = seq, from = results.length;
      if (!q || from >= total) return;
      setState("busy", q);
      engine.page(q, from, PAGE, function () { return mine === seq; }).then(function (items) {
        if (items === null || mine !== seq) return;
        append(items);
        var msg = showCount();
        input.focus();
        if (items.length) setActive(from);
        announce(msg);
        setState("done", q);
      }, function (err) {
        if (mine !== seq) return;
        setStatus(text("error", "Error"), "error");
        setState("error", q);
        if (window.console && console.warn) console.warn("kader search:", err && err.message ? err.message : err);
      });
    }
    if (more) {
      more.addEventListener("mousedown", function (e) { e.preventDefault(); });
      more.addEventListener("click", showMore);
    }

    function query() {
      var q = input.value.trim();
      var mine = ++seq;
      clearTimeout(loadingTimer);
      // An announcement still waiting belongs to an earlier query.
      clearTimeout(announceTimer);
      if (live) live.textContent = "";
      if (q.length < MIN_CHARS) {
        clearResults();
        setStatus("");
        close();
        announce("");
        setState("idle");
        return;
      }
      // Say "searching" only when it takes a while (first query, slow network).
      loadingTimer = setTimeout(function () {
        if (mine !== seq) return;
        if (!results.length) {
          setStatus(text("loading", "…"), "loading");
          setOpen(true);
        }
      }, 250);
      var current = function () { return mine === seq; };
      engine.searchAll(q, current).then(function (count) {
        if (count === null || mine !== seq) return null;
        return engine.page(q, 0, PAGE, current).then(function (items) {
          if (items === null || mine !== seq) return;
          clearTimeout(loadingTimer);
          render(items, q, count);
        });
      }).then(null, function (err) {
        if (mine !== seq) return;
        clearTimeout(loadingTimer);
        clearResults();
        setStatus(text("error", "Error"), "error");
        setOpen(true);
        announce(text("error", "Error"));
        setState("error", q);
        if (window.console && console.warn) console.warn("kader search:", err && err.message ? err.message : err);
      });
    }

    function schedule() {
      // A query still running answers text that has changed: drop it, so
      // its results never replace the list after the newer text is typed.
      seq++;
      setState("busy");
      clearTimeout(debounce);
      debounce = setTimeout(query, DEBOUNCE_MS);
    }

    input.addEventListener("focus", function () {
      engine.init().catch(function () { /* reported when a query is made */ });
      if (input.value.trim() && (results.length || !status.hidden)) setOpen(true);
    });
    input.addEventListener("input", schedule);
    input.addEventListener("keydown", function (e) {
      if (e.isComposing) return;
      var n = results.length;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (panel.hidden) {
          if (input.value.trim()) {
            if (n) setOpen(true);
            else schedule();
          }
          e.preventDefault();
          return;
        }
        if (!n) return;
        e.preventDefault();
        var down = e.key === "ArrowDown";
        if (e.altKey) return;
        setActive(active < 0 ? (down ? 0 : n - 1) : (active + (down ? 1 : n - 1)) % n);
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (!panel.hidden && n) follow(active >= 0 ? active : 0, e.ctrlKey || e.metaKey);
        else if (input.value.trim()) query();
      } else if (e.key === "Escape") {
        if (!panel.hidden || input.value) {
          e.preventDefault();
          e.stopPropagation();
          input.value = "";
          seq++;
          clearTimeout(debounce);
          setState("idle");
          clearResults();
          setStatus("");
          close();
          announce("");
        }
      } else if (e.key === "Tab") {
        // Focus moves on and the list goes away, unless it moves to "more".
        if (e.shiftKey || !more || more.hidden || panel.hidden) close();
      } else if (e.key === "Home" || e.key === "End" || e.key === "ArrowLeft" || e.key === "ArrowRight") {
        // Back to editing the text.
        setActive(-1);
      }
    });
    // Typing while focus is in the box: a new query resets the active option.
    input.addEventListener("input", function () { setActive(-1); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) close();
    });
    document.addEventListener("click", function (e) {
      if (!form.contains(e.target)) close();
    });

    return input;
  }

  function init() {
    var forms = document.querySelectorAll("form[data-search]");
    var inputs = [];
    for (var i = 0; i < forms.length; i++) {
      var input = initSearch(forms[i], i);
      if (input) inputs.push(input);
    }
    if (!inputs.length) return;
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isTyping(e.target) || isTyping(document.activeElement)) return;
      e.preventDefault();
      inputs[0].focus();
      inputs[0].select();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
