/* kader-export.js: the "Exporteer" menu writes exactly the rows a visitor
 * sees as XLSX, ODS or CSV, in the browser, with the code that writes the
 * site's own kennisbank.xlsx (crates/export, compiled to
 * kader-export.wasm). kader.js loads this file when a menu is first
 * opened; the wasm module and the export data (kennisbank-export.json of
 * the page's language) are fetched on the first export.
 *
 * Page contract: `details[data-export]` with data-mode (`list`: the rows
 * of the enclosing `[data-list]` table that are not hidden, in order;
 * `checklist`: the `.grouped-item[data-key]` items of "Vereisten voor
 * jou" that are not hidden, each followed by its measures
 * `li[data-key]` that are not hidden), data-sheet (the collection),
 * data-data, data-wasm, and texts in data-t-*. Buttons
 * `[data-format]` inside `[data-export-live]`, a status line
 * `[data-export-status]`. The active filters (search text, column
 * filters, the AI-Act profile's chips) go onto the explanation sheet.
 *
 * After an export the menu carries data-export-rows (rows written),
 * data-export-ms (time from click to file) and data-export-file.
 *
 * Plain ES, no dependencies, no eval, no inline styles; the download is a
 * Blob URL (allowed under the site's Content-Security-Policy).
 */
(() => {
  'use strict';

  const FORMATS = {
    xlsx: { code: 0, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    ods: { code: 1, type: 'application/vnd.oasis.opendocument.spreadsheet' },
    csv: { code: 2, type: 'text/csv;charset=utf-8' },
  };

  const cache = new Map();
  function once(key, make) {
    if (!cache.has(key)) {
      const p = make();
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    return cache.get(key);
  }

  async function fetchBytes(url) {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  }

  function module(url) {
    return once(`wasm:${url}`, async () => {
      const { instance } = await WebAssembly.instantiate(await fetchBytes(url), {});
      return instance.exports;
    });
  }

  function put(x, bytes) {
    const ptr = x.kader_alloc(bytes.length);
    new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  function take(x, packed) {
    const ptr = Number(packed >> 32n);
    const len = Number(packed & 0xffffffffn);
    const out = new Uint8Array(x.memory.buffer, ptr, len).slice();
    x.kader_free(ptr, len);
    return out;
  }

  /** The file of `format` for `selection` (an object), as bytes. */
  function write(x, catalog, format, selection) {
    const sel = new TextEncoder().encode(JSON.stringify(selection));
    const cp = put(x, catalog);
    const sp = put(x, sel);
    try {
      const file = take(x, x.export_write(FORMATS[format].code, cp, catalog.length, sp, sel.length));
      if (!file.length) throw new Error(new TextDecoder().decode(take(x, x.export_error())));
      return file;
    } finally {
      x.kader_free(cp, catalog.length);
      x.kader_free(sp, sel.length);
    }
  }

  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : '');
  const visible = (el) => !el.hidden && !el.closest('[hidden]');

  /** The keys of the rows shown, in order. */
  function keys(menu) {
    if (menu.dataset.mode === 'checklist') {
      const root = menu.closest('[data-profile]') || document;
      const out = [];
      for (const item of root.querySelectorAll('.grouped-item[data-key]')) {
        if (!visible(item)) continue;
        out.push(item.dataset.key);
        for (const m of item.querySelectorAll('.grouped-measures li[data-key]')) {
          if (!m.hidden) out.push(m.dataset.key);
        }
      }
      return out;
    }
    const list = menu.closest('[data-list]');
    if (!list) return [];
    return [...list.querySelectorAll('tbody tr[data-key]')].filter((r) => !r.hidden).map((r) => r.dataset.key);
  }

  /** The active filters as label/value lines for the explanation sheet. */
  function filters(menu, rows) {
    const t = menu.dataset;
    const lines = [[t.tView, `${document.title} (${location.href})`]];
    const scope = menu.closest('[data-list]') || menu.closest('[data-profile]') || document;
    const form = scope.querySelector('[data-list-filters]');
    let any = false;
    if (form) {
      const q = form.querySelector('[data-filter-text]');
      if (q && q.value.trim()) {
        lines.push([text(form.querySelector(`label[for="${q.id}"]`)), q.value.trim()]);
        any = true;
      }
      for (const s of form.querySelectorAll('select[data-filter-key]')) {
        if (!s.value) continue;
        lines.push([text(form.querySelector(`label[for="${s.id}"]`)), text(s.selectedOptions[0])]);
        any = true;
      }
    }
    const chips = [...scope.querySelectorAll('[data-profile-chips] .chip')].map(text);
    if (chips.length) {
      lines.push([t.tProfile, chips.join('; ')]);
      any = true;
    }
    if (!any) lines.push([t.tFilters, t.tNone]);
    lines.push([t.tRows, String(rows)]);
    return lines;
  }

  function download(bytes, type, name) {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  async function exportAs(menu, format) {
    const status = menu.querySelector('[data-export-status]');
    const t = menu.dataset;
    const start = performance.now();
    status.textContent = t.tBusy;
    try {
      const [x, catalog] = await Promise.all([
        module(t.wasm),
        once(`data:${t.data}`, () => fetchBytes(t.data)),
      ]);
      const chosen = keys(menu);
      const selection = {
        checklist: t.mode === 'checklist',
        sheet: t.mode === 'checklist' ? null : t.sheet,
        keys: chosen,
        filters: filters(menu, chosen.length),
      };
      const bytes = write(x, catalog, format, selection);
      const date = new Date().toISOString().slice(0, 10);
      const name = `${t.mode === 'checklist' ? 'checklist' : t.sheet || 'kennisbank'}-${date}.${format}`;
      download(bytes, FORMATS[format].type, name);
      menu.dataset.exportRows = String(chosen.length);
      menu.dataset.exportMs = String(Math.round(performance.now() - start));
      menu.dataset.exportFile = name;
      status.textContent = t.tDone.replace('{file}', name).replace('{n}', String(chosen.length));
    } catch (e) {
      status.textContent = t.tError.replace('{error}', String(e && e.message ? e.message : e));
      menu.dataset.exportError = status.textContent;
    }
  }

  for (const menu of document.querySelectorAll('details[data-export]')) {
    const live = menu.querySelector('[data-export-live]');
    if (!live) continue;
    live.hidden = false;
    for (const b of live.querySelectorAll('button[data-format]')) {
      b.addEventListener('click', () => exportAs(menu, b.dataset.format));
    }
    // Start fetching while the visitor chooses a format.
    if (menu.open) {
      module(menu.dataset.wasm).catch(() => {});
      once(`data:${menu.dataset.data}`, () => fetchBytes(menu.dataset.data)).catch(() => {});
    }
    menu.dataset.exportReady = '';
  }
})();
