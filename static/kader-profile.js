/* kader-profile.js: narrows "Vereisten voor jou", and the overview tables,
 * to an AI-Act profile.
 *
 * The profile lives in the URL as repeatable parameters, one per term
 * (`?rol-ai-act=aanbieder&risicogroep=hoog-risico-ai-systeem`), so the
 * decision aid can link here and a visitor can share or reload the page.
 * Which pages apply is decided by kader-classify.wasm, with the same rules
 * as the build (crates/classify: profile::applicable); this file only reads
 * the URL, shows the profile as removable chips, keeps the form in step and
 * hides what does not apply. Without JavaScript every requirement shows.
 *
 * Page contract: a `[data-profile][data-wasm]` element holding
 * `script.kader-profile-data` ({taxonomies: {key: {label, terms: {slug:
 * label}}}, allTaxonomies: [key], pages: [{slug, terms, uitzondering}]}),
 * the chips list `[data-profile-chips]` and optionally the form
 * `[data-profile-form]` and a link `[data-profile-link]` that carries the
 * profile on. Items `[data-key]` (a page's slug in that data) are either
 * inside `[data-profile-group]` sections of the element (hidden here), or
 * the rows of the table of the enclosing `[data-list]` (marked
 * `data-not-applicable`; kader.js's filters hide them). kader-classify.js
 * must be loaded too.
 */
(() => {
  'use strict';

  function readProfile(taxonomies) {
    const params = new URLSearchParams(location.search);
    const terms = {};
    for (const key of Object.keys(taxonomies)) {
      const known = taxonomies[key].terms || {};
      // `niet-van-toepassing` narrows nothing; it is left out.
      const values = params
        .getAll(key)
        .filter((v) => v !== 'niet-van-toepassing' && Object.prototype.hasOwnProperty.call(known, v));
      if (values.length) terms[key] = [...new Set(values)];
    }
    return terms;
  }

  function urlWith(terms, taxonomies) {
    const u = new URL(location.href);
    for (const key of Object.keys(taxonomies)) u.searchParams.delete(key);
    for (const [key, values] of Object.entries(terms)) for (const v of values) u.searchParams.append(key, v);
    return u.toString();
  }

  async function start(root) {
    let data;
    try {
      data = JSON.parse(root.querySelector('script.kader-profile-data')?.textContent || 'null');
    } catch {
      data = null;
    }
    if (!data) return;
    const taxonomies = data.taxonomies || {};
    const form = root.querySelector('[data-profile-form]');
    const formWrap = root.querySelector('[data-profile-form-wrap]');
    if (formWrap) formWrap.hidden = false;
    const chips = root.querySelector('[data-profile-chips]');
    const current = root.querySelector('[data-profile-current]');
    const status = root.querySelector('[data-profile-status]');
    const empty = root.querySelector('[data-profile-empty]');
    // The page's count without a profile, for readers without JavaScript.
    const total = root.querySelector('[data-profile-total]');
    const list = root.closest('[data-list]');
    const scope = list || root;
    const items = [...scope.querySelectorAll('[data-key]')];
    const groups = [...root.querySelectorAll('[data-profile-group]')];
    const links = [...root.querySelectorAll('[data-profile-link]')];
    const isItem = (i) => !!list || i.classList.contains('grouped-item');
    const requirements = new Set(items.filter(isItem).map((i) => i.dataset.key));
    root.hidden = false;
    let api = null;

    async function classify() {
      if (api) return api;
      if (!window.kaderClassify) {
        await new Promise((resolve) => document.addEventListener('kader-classify-ready', resolve, { once: true }));
      }
      api = await window.kaderClassify.load(root.dataset.wasm);
      return api;
    }

    function showChips(terms) {
      chips.replaceChildren();
      for (const [key, values] of Object.entries(terms)) {
        for (const v of values) {
          const tax = taxonomies[key];
          const label = `${tax.label}: ${tax.terms[v]}`;
          const b = document.createElement('button');
          b.type = 'button';
          b.className = 'chip chip-remove';
          b.textContent = label;
          b.setAttribute('aria-label', (chips.dataset.remove || '{term}').replace('{term}', label));
          b.addEventListener('click', () => {
            const next = { ...terms, [key]: values.filter((x) => x !== v) };
            if (!next[key].length) delete next[key];
            history.pushState(null, '', urlWith(next, taxonomies));
            apply(true);
          });
          const li = document.createElement('li');
          li.append(b);
          chips.append(li);
        }
      }
    }

    function syncForm(terms) {
      if (!form) return;
      for (const box of form.querySelectorAll('input[type=checkbox]')) {
        box.checked = (terms[box.name] || []).includes(box.value);
      }
    }

    async function apply(focusChips) {
      const terms = readProfile(taxonomies);
      syncForm(terms);
      const active = Object.keys(terms).length > 0;
      current.hidden = !active;
      showChips(terms);
      let applies = null;
      if (active) {
        try {
          const r = (await classify()).applicable({ profile: { terms }, pages: data.pages, taxonomies: data.allTaxonomies || [] });
          if (r && r.ok) applies = new Set(r.results.filter((x) => x.applies).map((x) => x.slug));
        } catch (e) {
          root.setAttribute('data-profile-error', String(e && e.message ? e.message : e));
        }
      }
      let shown = 0;
      for (const a of links) {
        const u = new URL(a.href, location.href);
        a.href = urlWith(terms, taxonomies).replace(/^[^?]*/, u.origin + u.pathname);
      }
      if (list) {
        for (const row of items) row.toggleAttribute('data-not-applicable', applies !== null && !applies.has(row.dataset.key));
        list.dispatchEvent(new Event('kader:refilter'));
        root.setAttribute('data-profile-ready', '');
        return;
      }
      for (const item of items) item.hidden = applies !== null && !applies.has(item.dataset.key);
      for (const g of groups) {
        const visible = [...g.querySelectorAll('.grouped-item')].filter((i) => !i.hidden);
        g.hidden = visible.length === 0;
        const count = g.querySelector('[data-profile-group-count]');
        if (count) count.textContent = `(${visible.length})`;
        for (const d of g.querySelectorAll('.grouped-measures')) {
          const n = [...d.querySelectorAll('li[data-key]')].filter((m) => !m.hidden).length;
          d.hidden = n === 0;
          const c = d.querySelector('[data-profile-measure-count]');
          if (c) c.textContent = `(${n})`;
        }
      }
      const visibleKeys = new Set(items.filter((i) => !i.hidden && isItem(i)).map((i) => i.dataset.key));
      shown = visibleKeys.size;
      if (empty) empty.hidden = shown > 0;
      if (total) total.hidden = active;
      if (status) {
        status.textContent = active
          ? status.dataset.template.replace('{shown}', shown).replace('{total}', requirements.size)
          : status.dataset.none || '';
      }
      root.setAttribute('data-profile-ready', '');
      // After a change, focus goes to the profile, or (when it was emptied)
      // to the status line, which is outside it and announces the result.
      if (focusChips) {
        const target = current && !current.hidden ? current.querySelector('h2') : status;
        target?.focus?.();
      }
    }

    if (form) {
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const terms = {};
        for (const box of form.querySelectorAll('input[type=checkbox]:checked')) (terms[box.name] ||= []).push(box.value);
        history.pushState(null, '', urlWith(terms, taxonomies));
        apply(true);
      });
      form.addEventListener('reset', () => {
        history.pushState(null, '', urlWith({}, taxonomies));
        setTimeout(() => apply(true), 0);
      });
    }
    current?.querySelector('h2')?.setAttribute('tabindex', '-1');
    status?.setAttribute('tabindex', '-1');
    window.addEventListener('popstate', () => apply(false));
    await apply(false);
  }

  function all() {
    for (const root of document.querySelectorAll('[data-profile][data-wasm]')) start(root);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
  else all();
})();
