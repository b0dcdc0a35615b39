/* kader-classify.js: the GPAI classification aid (directive <!-- gpai_classifier -->).
 *
 * Finds every [data-classifier] element, reads its JSON data blocks (the
 * decision tree, the site's requirements, the UI strings), loads
 * kader-classify.wasm from data-wasm and replaces the static, no-JavaScript
 * rendering (kept in the DOM, hidden) with one question at a time, a compute
 * estimator with a log-scale bar, and a result with the rules' explanation
 * trace, deadlines, obligations, labels and the requirements that apply.
 *
 * Plain ES, no dependencies, no inline styles or scripts (strict CSP). Text
 * goes in with textContent; the only innerHTML is for the tree's question,
 * explanation, answer and conclusion texts, which are sanitized HTML: the
 * build sanitized them (kader_classify::sanitize_html) and the wasm module
 * sanitizes them again before handing them out.
 */
(() => {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  // Labels whose taxonomy is known even when no requirement uses them.
  const LABEL_TAXONOMY = {
    'ai-model-voor-algemene-doeleinden': 'soort-toepassing',
    aanbieder: 'rol-ai-act',
    systeemrisico: 'systeemrisico',
    'geen-systeemrisico': 'systeemrisico',
    'open-source': 'open-source',
    'geen-open-source': 'open-source',
  };
  const SCALE_MIN = 18; // log10 FLOP at the left end of the bar
  const SCALE_MAX = 28;
  let uid = 0;

  // ------------------------------------------------------------ wasm

  const modules = new Map(); // url -> Promise<WebAssembly.Instance>
  function instantiate(url) {
    if (!modules.has(url)) {
      modules.set(
        url,
        (async () => {
          const res = await fetch(url, { credentials: 'same-origin' });
          if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
          if (WebAssembly.instantiateStreaming && /application\/wasm/.test(res.headers.get('content-type') || '')) {
            return (await WebAssembly.instantiateStreaming(res, {})).instance;
          }
          return (await WebAssembly.instantiate(await res.arrayBuffer(), {})).instance;
        })(),
      );
    }
    return modules.get(url);
  }

  /** The raw C ABI of crates/wasm/src/classify.rs wrapped in JSON calls. */
  function api(instance) {
    const ex = instance.exports;
    const enc = new TextEncoder();
    const dec = new TextDecoder();
    const put = (s) => {
      const b = enc.encode(String(s));
      const p = ex.kader_alloc(b.length) >>> 0;
      new Uint8Array(ex.memory.buffer, p, b.length).set(b);
      return [p, b.length];
    };
    const take = (packed) => {
      const v = BigInt.asUintN(64, BigInt(packed));
      const p = Number(v >> 32n);
      const n = Number(v & 0xffffffffn);
      const s = dec.decode(new Uint8Array(ex.memory.buffer, p, n).slice());
      ex.kader_free(p, n);
      return JSON.parse(s);
    };
    const call = (fn, before, strings) => {
      const bufs = strings.map(put);
      try {
        return fn(...before, ...bufs.flat());
      } finally {
        for (const [p, n] of bufs) ex.kader_free(p, n);
      }
    };
    return {
      open: (tree, lang) => call(ex.classify_session_open, [], [tree, lang]),
      close: (h) => ex.classify_session_close(h),
      state: (h) => take(ex.classify_state(h)),
      answer: (h, i) => take(ex.classify_answer(h, i)),
      answerValue: (h, input) => take(call(ex.classify_answer_value, [h], [JSON.stringify(input)])),
      back: (h) => take(ex.classify_back(h)),
      restart: (h) => take(ex.classify_restart(h)),
      sessionAssess: (h, extras) => take(call(ex.classify_session_assess, [h], [JSON.stringify(extras)])),
      estimate: (input, lang) => take(call(ex.classify_estimate, [], [JSON.stringify(input), lang])),
      dates: (input, lang) => take(call(ex.classify_dates, [], [JSON.stringify(input), lang])),
    };
  }

  // ------------------------------------------------------------ DOM helpers

  /** el('p.class', {attr: v}, child, …): children are nodes or text. */
  function el(spec, attrs, ...children) {
    const [tag, ...classes] = spec.split('.');
    const e = document.createElement(tag);
    if (classes.length) e.className = classes.join(' ');
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v == null) continue;
      if (k === 'text') e.textContent = v;
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c == null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /** Sets sanitized tree HTML (see the note at the top of this file). */
  function setHtml(e, html) {
    e.innerHTML = html || '';
    for (const a of e.querySelectorAll('a[href^="http"]')) a.rel = 'noopener';
    return e;
  }

  /** parent.append without the nulls of optional parts. */
  function put(parent, ...children) {
    for (const c of children) if (c != null && c !== false) parent.append(c);
    return parent;
  }

  function fill(s, vars) {
    return String(s).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
  }

  function plain(html) {
    const d = document.createElement('div');
    setHtml(d, html);
    return d.textContent.trim().replace(/\s+/g, ' ');
  }

  function readJson(root, attr) {
    const s = root.querySelector(`script[${attr}]`);
    if (!s) return null;
    try {
      return JSON.parse(s.textContent);
    } catch {
      return null;
    }
  }

  // ------------------------------------------------------------ requirements

  /**
   * The requirements that apply to `labels`: for every taxonomy in which the
   * labels have a term and the requirement has terms, the requirement has one
   * of those terms; and there is at least one such taxonomy.
   */
  function matchRequirements(reqs, labels) {
    const taxonomiesOf = new Map();
    for (const r of reqs) {
      for (const [tax, terms] of Object.entries(r.terms || {})) {
        for (const t of terms || []) {
          if (!taxonomiesOf.has(t)) taxonomiesOf.set(t, new Set());
          taxonomiesOf.get(t).add(tax);
        }
      }
    }
    const wanted = new Map(); // taxonomy -> Set(labels)
    for (const l of labels) {
      const taxes = new Set(taxonomiesOf.get(l) || []);
      if (LABEL_TAXONOMY[l]) taxes.add(LABEL_TAXONOMY[l]);
      for (const t of taxes) {
        if (!wanted.has(t)) wanted.set(t, new Set());
        wanted.get(t).add(l);
      }
    }
    return reqs.filter((r) => {
      let overlap = false;
      for (const [tax, want] of wanted) {
        const has = (r.terms || {})[tax];
        if (!has || !has.length) continue;
        if (!has.some((x) => want.has(x))) return false;
        overlap = true;
      }
      return overlap;
    });
  }

  // ------------------------------------------------------------ the scale

  function sup(n) {
    const d = '⁰¹²³⁴⁵⁶⁷⁸⁹';
    return String(n)
      .split('')
      .map((c) => (c === '-' ? '⁻' : d[Number(c)]))
      .join('');
  }

  /** A log-scale bar placing `log10` against 10^23 and 10^25 FLOP. */
  function scale(t, compute) {
    const id = `classifier-scale-${++uid}`;
    const W = 360;
    const H = 84;
    const L = 14;
    const R = W - 14;
    const x = (v) => L + ((Math.min(Math.max(v, SCALE_MIN), SCALE_MAX) - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)) * (R - L);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('class', 'classifier-scale-svg');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-labelledby', `${id}-title`);
    svg.setAttribute('focusable', 'false');
    const add = (tag, attrs, text) => {
      const e = document.createElementNS(SVG, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
      if (text != null) e.textContent = text;
      svg.append(e);
      return e;
    };
    const desc = describe(t, compute);
    add('title', { id: `${id}-title` }, `${t.scale}. ${desc}`);
    const y = 34;
    add('rect', { x: L, y, width: x(23) - L, height: 14, class: 'scale-low' });
    add('rect', { x: x(23), y, width: x(25) - x(23), height: 14, class: 'scale-mid' });
    add('rect', { x: x(25), y, width: R - x(25), height: 14, class: 'scale-high' });
    for (let p = SCALE_MIN; p <= SCALE_MAX; p += 2) {
      add('line', { x1: x(p), x2: x(p), y1: y + 14, y2: y + 19, class: 'scale-tick' });
      add('text', { x: x(p), y: y + 31, class: 'scale-label', 'text-anchor': 'middle' }, `10${sup(p)}`);
    }
    for (const [p, cls, label] of [
      [23, 'scale-threshold-gpai', `10${sup(23)}`],
      [25, 'scale-threshold-sr', `10${sup(25)}`],
    ]) {
      add('line', { x1: x(p), x2: x(p), y1: y - 6, y2: y + 20, class: `scale-threshold ${cls}` });
      add('text', { x: x(p), y: y - 9, class: `scale-label scale-label-strong ${cls}`, 'text-anchor': 'middle' }, label);
    }
    if (compute && compute.log10 != null) {
      const v = compute.log10;
      const mx = x(v);
      const off = v < SCALE_MIN || v > SCALE_MAX;
      add('path', { d: `M ${mx} ${y + 14} l -6 -9 h 12 z`, class: 'scale-marker' });
      add('line', { x1: mx, x2: mx, y1: y, y2: y + 14, class: 'scale-marker-line' });
      if (off) add('text', { x: mx + (v < SCALE_MIN ? 8 : -8), y: y + 11, class: 'scale-label', 'text-anchor': v < SCALE_MIN ? 'start' : 'end' }, v < SCALE_MIN ? '◀' : '▶');
    }
    const text = el('p.classifier-scale-text', { id: `${id}-text` }, desc);
    return el('figure.classifier-scale', {}, svg, text);
  }

  function describe(t, compute) {
    if (!compute || compute.flop == null) return t.scale_empty;
    const band = { 'below-indicative': t.band_below, 'above-indicative': t.band_between, 'above-systemic-risk': t.band_above }[compute.band];
    return `${compute.value}: ${band}.`;
  }

  // ------------------------------------------------------------ the widget

  /** A URL that is safe as an href: http(s), mailto or no scheme. */
  function safeUrl(u) {
    if (typeof u !== 'string' || !u.trim()) return null;
    const m = /^\s*([a-z][a-z0-9+.-]*):/i.exec(u);
    return !m || /^(https?|mailto)$/i.test(m[1]) ? u.trim() : null;
  }

  /**
   * The first question straight from the tree's JSON block, in the shape of
   * the wasm module's state, so that it shows without waiting for the module.
   * (The texts were sanitized by the build; see the note at the top.)
   */
  function initialState(tree) {
    const q = tree && Array.isArray(tree.questions) ? tree.questions[0] : null;
    if (!q || !Array.isArray(q.answers)) return null;
    return {
      ok: true,
      at: 'question',
      depth: 0,
      labels: [],
      history: [],
      compute: null,
      question: {
        index: 0,
        questionId: q.questionId,
        question: q.question,
        explanation: q.explanation || null,
        sources: (q.sources || []).map((s) => ({ source: s.source, url: safeUrl(s.url) })),
        input: q.input || null,
        answers: q.answers.map((a, i) => ({ index: i, answer: a.answer, explanation: a.explanation || null, labels: a.labels || [], range: a.range || null })),
      },
    };
  }

  function mark(name) {
    try {
      performance.mark(name);
    } catch {
      /* no User Timing */
    }
  }

  function start(root) {
    const app = root.querySelector('[data-classifier-app]');
    const staticPart = root.querySelector('[data-classifier-static]');
    const treeBlock = root.querySelector('script[data-classifier-tree]');
    if (!app || !treeBlock || !root.dataset.wasm) return;
    const t = readJson(root, 'data-classifier-strings') || {};
    const reqs = readJson(root, 'data-classifier-requirements') || [];
    const lang = root.dataset.lang === 'en' ? 'en' : 'nl';
    const first = initialState(readJson(root, 'data-classifier-tree'));
    if (!first) return; // the static rendering stays
    // The module loads while the first question is read.
    const ready = instantiate(root.dataset.wasm).then((inst) => {
      const w = api(inst);
      const h = w.open(treeBlock.textContent, lang);
      if (!h) throw new Error('the decision tree could not be opened');
      return { w, h };
    });
    const widget = new Widget(root, app, staticPart, t, reqs, lang, ready);
    widget.render(first, { focus: false });
    app.hidden = false;
    if (staticPart) staticPart.hidden = true;
    root.setAttribute('data-classifier-ready', '');
    mark('kader-classify:first-question');
    ready.then(
      ({ w, h }) => {
        widget.w = w;
        widget.h = h;
        root.setAttribute('data-classifier-interactive', '');
        mark('kader-classify:interactive');
      },
      () => widget.failed(),
    );
  }

  class Widget {
    constructor(root, app, staticPart, t, reqs, lang, ready) {
      Object.assign(this, { root, app, staticPart, t, reqs, lang, ready });
      this.w = null;
      this.h = 0;
      this.memory = new Map(); // questionId -> what was entered, to restore on "back"
      this.extras = {};
      this.status = el('p.classifier-status.visually-hidden', { role: 'status', 'aria-live': 'polite' });
      this.panel = el('div.classifier-panel');
      this.backBtn = el('button.classifier-button.classifier-button-secondary', { type: 'button', 'data-classifier-back': true, text: t.back });
      this.restartBtn = el('button.classifier-button.classifier-button-secondary', { type: 'button', 'data-classifier-restart': true, text: t.restart });
      this.backBtn.addEventListener('click', () => this.go(this.w.back(this.h)));
      this.restartBtn.addEventListener('click', () => {
        this.memory.clear();
        this.extras = {};
        this.go(this.w.restart(this.h));
      });
      const nav = el('div.classifier-nav', {}, this.backBtn, this.restartBtn);
      app.replaceChildren(this.status, this.panel, nav);
    }

    /** The module did not load: back to the static rendering. */
    failed() {
      this.app.replaceChildren(el('p.classifier-load-error', { text: this.t.load_error }));
      if (this.staticPart) this.staticPart.hidden = false;
      this.root.removeAttribute('data-classifier-ready');
    }

    go(state) {
      if (!state.ok && state.error && state.error.kind === 'handle') return;
      this.render(state, { focus: true });
    }

    announce(text) {
      // Clear first so that the same text is announced again.
      // A newer announcement replaces one still waiting.
      window.clearTimeout(this.announcing);
      this.status.textContent = '';
      this.announcing = window.setTimeout(() => {
        this.status.textContent = text;
      }, 30);
    }

    render(state, { focus }) {
      this.state = state;
      const depth = state.depth || 0;
      this.backBtn.disabled = depth === 0;
      this.restartBtn.disabled = depth === 0;
      let heading;
      if (state.at === 'conclusion') {
        heading = this.renderResult(state);
        this.announce(fill(this.t.status_outcome, { title: state.assessment ? state.assessment.title : plain(state.conclusion.conclusion) }));
      } else {
        heading = this.renderQuestion(state);
        if (focus) this.announce(fill(this.t.status_question, { n: depth + 1, question: plain(state.question.question) }));
      }
      if (focus && heading) heading.focus();
    }

    // ---------------------------------------------------------- a question

    renderQuestion(state) {
      const t = this.t;
      const q = state.question;
      const n = ++uid;
      const headingId = `classifier-q-${n}`;
      const heading = setHtml(el('h3.classifier-question-title', { id: headingId, tabindex: '-1' }), q.question);
      const progress = el('span.classifier-progress', { text: fill(t.progress, { n: (state.depth || 0) + 1 }) });
      const form = el('form.classifier-card.classifier-question', { novalidate: true, 'data-question-id': q.questionId, 'aria-labelledby': headingId });
      const error = el('p.classifier-error', { id: `classifier-err-${n}`, hidden: true });
      const explanation = q.explanation ? setHtml(el('div.classifier-explanation'), q.explanation) : null;
      const memory = this.memory.get(q.questionId) || {};
      const clickable = q.answers.filter((a) => !q.input || !a.range);

      const options = (answers, name) => {
        const box = el('div.classifier-options');
        for (const a of answers) {
          const input = el('input', { type: 'radio', name, value: a.index, id: `${name}-${a.index}` });
          if (memory.answer === a.index) input.checked = true;
          const label = el('label.classifier-option', { for: `${name}-${a.index}` }, input, setHtml(el('span.classifier-option-text'), a.answer));
          box.append(label);
        }
        return box;
      };

      if (!q.input) {
        // Heading, explanation, answers: one fieldset whose legend is the question.
        const fs = el(
          'fieldset.classifier-fieldset',
          { 'aria-describedby': error.id },
          el('legend.classifier-legend', {}, progress, heading),
          explanation,
          options(q.answers, `classifier-a-${n}`),
          error,
        );
        form.append(fs);
      } else {
        put(form, progress, heading, explanation);
        this.computeInputs(form, q, memory, n, error);
        if (clickable.length) form.append(el('fieldset.classifier-fieldset', {}, el('legend', { text: t.choose }), options(clickable, `classifier-a-${n}`)));
      }
      put(form, this.sources(q.sources), el('div.classifier-actions', {}, el('button.classifier-button', { type: 'submit', text: t.next })));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        this.submit(form, q, error);
      });
      this.panel.replaceChildren(form);
      return heading;
    }

    sources(list) {
      if (!list || !list.length) return null;
      const p = el('p.classifier-sources', {}, el('span.classifier-sources-label', { text: `${this.t.sources}: ` }));
      list.forEach((s, i) => {
        if (i) p.append('; ');
        p.append(s.url ? el('a', { href: s.url, text: s.source }) : s.source);
      });
      return p;
    }

    /** The three ways to give the training compute, with a live estimate. */
    computeInputs(form, q, memory, n, error) {
      const t = this.t;
      const isCompute = q.input.kind === 'compute';
      const methods = isCompute ? ['direct', 'parameters', 'accelerators'] : ['direct'];
      const fields = {
        direct: [['value', t.field_value, t.field_value_hint]],
        parameters: [
          ['parameters', t.field_parameters, t.field_parameters_hint],
          ['tokens', t.field_tokens, t.field_tokens_hint],
        ],
        accelerators: [
          ['count', t.field_count, null],
          ['hours', t.field_hours, null],
          ['peakFlops', t.field_peak, t.field_peak_hint],
          ['utilisation', t.field_utilisation, t.field_utilisation_hint],
        ],
      };
      const method = methods.includes(memory.method) ? memory.method : 'direct';
      const inputs = {};
      const groups = {};
      if (methods.length > 1) {
        const fs = el('fieldset.classifier-fieldset.classifier-methods', {}, el('legend.classifier-legend-small', { text: t.method_legend }));
        const box = el('div.classifier-options.classifier-options-inline');
        for (const m of methods) {
          const id = `classifier-m-${n}-${m}`;
          const input = el('input', { type: 'radio', name: `classifier-m-${n}`, value: m, id, 'data-method': m });
          input.checked = m === method;
          input.addEventListener('change', () => show(m));
          box.append(el('label.classifier-option', { for: id }, input, el('span.classifier-option-text', { text: t[`method_${m}`] })));
        }
        fs.append(box);
        form.append(fs);
      }
      for (const m of methods) {
        const group = el('div.classifier-fields', { 'data-fields': m });
        for (const [name, label, hint] of fields[m]) {
          const id = `classifier-f-${n}-${name}`;
          const hintId = hint ? `${id}-hint` : null;
          const errId = `${id}-err`;
          const input = el('input.classifier-input', {
            type: 'text',
            id,
            name,
            autocomplete: 'off',
            spellcheck: 'false',
            inputmode: name === 'value' ? null : 'decimal',
            'aria-describedby': [hintId, errId].filter(Boolean).join(' '),
          });
          if (memory.fields && memory.fields[name] != null) input.value = memory.fields[name];
          input.addEventListener('input', () => {
            clearFieldError(input);
            update();
          });
          inputs[name] = input;
          group.append(
            el(
              'div.classifier-field',
              {},
              el('label', { for: id, text: label + (name === 'value' && q.input.unit && !/FLOP/.test(label) ? ` (${q.input.unit})` : '') }),
              hint ? el('p.classifier-hint', { id: hintId, text: hint }) : null,
              input,
              el('p.classifier-error', { id: errId, hidden: true }),
            ),
          );
        }
        groups[m] = group;
        form.append(group);
      }
      const out = el('div.classifier-estimate', { 'aria-live': 'polite' });
      const figure = el('div.classifier-figure');
      form.append(out, figure, error);
      if (q.answers.some((a) => a.range)) {
        const list = el('ul.classifier-ranges');
        for (const a of q.answers.filter((x) => x.range)) list.append(setHtml(el('li', { 'data-range-answer': a.index }), a.answer));
        form.append(el('div.classifier-range-map', {}, el('p.classifier-hint', { text: t.numeric }), list));
      }

      const current = () => form.querySelector('input[data-method]:checked')?.value || 'direct';
      const collect = () => {
        const m = current();
        const obj = { method: m };
        for (const [name] of fields[m]) obj[name] = inputs[name].value;
        return obj;
      };
      const update = () => {
        const m = current();
        const obj = collect();
        const empty = fields[m].every(([name]) => !inputs[name].value.trim());
        const r = empty || !isCompute || !this.w ? null : this.w.estimate(obj, this.lang);
        const ok = r && r.ok;
        out.replaceChildren();
        if (ok) {
          out.append(
            el('p.classifier-formula', {}, el('span.classifier-formula-label', { text: `${t.formula}: ` }), el('span.classifier-math', { text: r.formula })),
            el('p.classifier-formula', {}, el('span.classifier-formula-label', { text: `${t.figure}: ` }), el('strong.classifier-math', { text: r.value })),
          );
        }
        if (isCompute) figure.replaceChildren(scale(t, ok ? r : null));
        for (const li of form.querySelectorAll('[data-range-answer]')) li.classList.remove('classifier-range-current');
        if (ok) {
          const hit = q.answers.find((a) => a.range && inRange(a.range, r.flop));
          if (hit) form.querySelector(`[data-range-answer="${hit.index}"]`)?.classList.add('classifier-range-current');
        }
        this.memory.set(q.questionId, { method: m, fields: { ...(this.memory.get(q.questionId) || {}).fields, ...obj } });
      };
      // Switching the method keeps focus on its radio button.
      const show = (m) => {
        for (const [k, g] of Object.entries(groups)) g.hidden = k !== m;
        update();
      };
      form.collectCompute = collect;
      form.computeInputs = inputs;
      show(method);
    }

    async submit(form, q, error) {
      const t = this.t;
      if (!this.w) {
        try {
          await this.ready;
        } catch {
          return;
        }
      }
      error.hidden = true;
      error.textContent = '';
      const radio = form.querySelector('input[name^="classifier-a-"]:checked');
      let state;
      if (q.input && !radio) {
        const input = form.collectCompute();
        state = this.w.answerValue(this.h, input);
        if (!state.ok) {
          const field = form.computeInputs[state.error.field] || Object.values(form.computeInputs).find((i) => !i.closest('[hidden]'));
          if (field && !field.closest('[hidden]')) {
            showFieldError(field, `${t.error}: ${state.error.message}`);
            field.focus();
          } else {
            showError(error, state.error.message);
          }
          this.announce(state.error.message);
          return;
        }
      } else if (!radio) {
        showError(error, t.choose);
        this.announce(t.choose);
        form.querySelector('input[type=radio]')?.focus();
        return;
      } else {
        const index = Number(radio.value);
        this.memory.set(q.questionId, { ...(this.memory.get(q.questionId) || {}), answer: index });
        state = this.w.answer(this.h, index);
        if (!state.ok) {
          showError(error, state.error.message);
          this.announce(state.error.message);
          return;
        }
      }
      this.go(state);
    }

    // ---------------------------------------------------------- the result

    renderResult(state) {
      const t = this.t;
      const c = state.conclusion;
      const n = ++uid;
      const a = state.assessment || {};
      const headingId = `classifier-result-${n}`;
      const heading = el('h3.classifier-result-title', { id: headingId, tabindex: '-1' }, a.title || plain(c.conclusion));
      const section = el('section.classifier-card.classifier-result', { 'aria-labelledby': headingId, 'data-conclusion-id': c.conclusionId });
      put(
        section,
        el('p.classifier-progress', { text: t.outcome }),
        heading,
        el(
          'div.classifier-conclusion',
          {},
          setHtml(el('p.classifier-conclusion-text'), c.conclusion),
          c.obligation ? el('h4', { text: t.obligation }) : null,
          c.obligation ? setHtml(el('div.classifier-obligation'), c.obligation) : null,
        ),
      );
      this.rulesTop = el('div.classifier-rules');
      this.rulesBottom = el('div.classifier-rules');
      const forms = el('div.classifier-extras');
      section.append(this.rulesTop, forms, this.rulesBottom);
      this.renderRules(state.assessment, state.agrees, state.compute);
      if (a.notificationRequired || a.classification === 'systemic-risk-designated') forms.append(this.deadlines(a));
      if (a.isGpai && !a.systemicRisk) forms.append(this.annexForm(state.facts));

      // Labels and the requirements that apply.
      const labels = state.labels || [];
      const names = t.label_names || {};
      section.append(
        el('h4', { text: t.labels }),
        el('ul.chips.classifier-labels', {}, ...labels.map((l) => el('li', {}, el('span.chip', { 'data-label': l, text: names[l] || l })))),
      );
      const matched = matchRequirements(this.reqs, labels);
      const reqList = el('ul.classifier-requirements');
      for (const r of matched) reqList.append(el('li', {}, el('a', { href: r.url, text: r.title })));
      put(
        section,
        el('h4', { text: t.requirements }),
        matched.length ? reqList : el('p.classifier-muted', { text: t.requirements_none }),
        matched.length && state.facts && state.facts.role === 'deployer' ? el('p.classifier-muted', { text: t.requirements_provider }) : null,
      );

      // The answers given.
      const answers = el('ol.classifier-history');
      for (const hItem of state.history || []) {
        const li = el('li', {}, setHtml(el('span.classifier-history-q'), hItem.question), ' ');
        const ans = setHtml(el('strong.classifier-history-a'), hItem.answer);
        li.append(ans);
        if (hItem.formula) li.append(el('span.classifier-history-v', { text: ` (${hItem.formula})` }));
        answers.append(li);
      }
      put(section, el('h4', { text: t.answers }), answers, this.sources(c.sources));
      this.panel.replaceChildren(section);
      return heading;
    }

    /** The parts that follow from the rules; redrawn when an extra changes. */
    renderRules(a, agrees, compute) {
      const t = this.t;
      const top = this.rulesTop;
      const box = this.rulesBottom;
      top.replaceChildren();
      box.replaceChildren();
      if (!a) return;
      top.append(el(agrees ? 'p.classifier-agree' : 'p.classifier-disagree', { text: agrees ? t.agrees : t.disagrees }));
      if (a.mayBeDesignated) {
        const call = el('div.classifier-callout', {}, el('p', {}, el('strong', { text: t.may_be_designated })));
        if (a.reasons.length) {
          const ul = el('ul');
          for (const r of a.reasons) ul.append(el('li', {}, el('span.classifier-article', { text: r.article }), ' ', r.text));
          call.append(el('p', { text: `${t.reasons}:` }), ul);
        }
        top.append(call);
      }
      if (compute) {
        box.append(
          el('h4', { text: t.scale }),
          el('p.classifier-formula', {}, el('span.classifier-formula-label', { text: `${t.formula}: ` }), el('span.classifier-math', { text: compute.formula })),
          scale(t, compute),
        );
      }
      const trace = el('ol.classifier-trace');
      for (const s of a.steps) trace.append(el('li', {}, el('span.classifier-article', { text: s.article }), ' ', el('span', { text: s.text })));
      box.append(el('h4', { text: t.trace }), trace);
      if (a.obligations.length) {
        const ul = el('ul.classifier-obligations');
        for (const o of a.obligations) ul.append(el('li', { 'data-obligation': o.id }, el('span.classifier-article', { text: o.article }), ' ', el('span', { text: o.text })));
        box.append(el('h4', { text: t.obligations }), ul);
      }
    }

    reassess() {
      const r = this.w.sessionAssess(this.h, this.extras);
      if (r.ok) this.renderRules(r.assessment, r.agrees, this.state.compute);
      return r;
    }

    deadlines(a) {
      const t = this.t;
      const n = ++uid;
      const fs = el('fieldset.classifier-fieldset.classifier-deadlines', {}, el('legend.classifier-legend-small', { text: t.deadlines }));
      const row = (key, label, outLabel, hint, resultKey) => {
        const id = `classifier-d-${n}-${key}`;
        const input = el('input.classifier-input.classifier-date', { type: 'date', id, min: '2024-08-01', max: '9999-12-31', 'aria-describedby': `${id}-hint ${id}-out` });
        if (this.extras[key]) input.value = this.extras[key];
        const out = el('p.classifier-date-out', { id: `${id}-out`, 'aria-live': 'polite' });
        const update = () => {
          const v = input.value;
          this.extras[key] = v || undefined;
          out.replaceChildren();
          if (!v) return;
          const r = this.w.dates({ [key]: v }, this.lang);
          if (r.errors && r.errors[key]) out.append(el('span.classifier-error-inline', { text: r.errors[key].message }));
          else if (r[resultKey]) out.append(`${outLabel}: `, el('strong', { 'data-deadline': resultKey, text: r[resultKey].text }));
          this.reassess();
        };
        input.addEventListener('change', update);
        input.addEventListener('input', update);
        fs.append(el('div.classifier-field', {}, el('label', { for: id, text: label }), el('p.classifier-hint', { id: `${id}-hint`, text: hint }), input, out));
        if (input.value) update();
      };
      if (a.notificationRequired) row('thresholdDate', t.threshold_date, t.notification, t.notification_hint, 'notificationDeadline');
      if (a.classification === 'systemic-risk-designated') row('designationDate', t.designation_date, t.reassessment, t.reassessment_hint, 'earliestReassessment');
      return fs;
    }

    annexForm(facts) {
      const t = this.t;
      const n = ++uid;
      const annex = { ...((facts && facts.annexXiii) || {}) };
      const fs = el(
        'fieldset.classifier-fieldset.classifier-annex',
        { 'aria-describedby': `classifier-x-${n}-hint` },
        el('legend.classifier-legend-small', { text: t.annex_legend }),
        el('p.classifier-hint', { id: `classifier-x-${n}-hint`, text: t.annex_hint }),
      );
      const keys = ['parameters', 'dataset', 'compute', 'modalities', 'benchmarks', 'marketReach', 'endUsers'];
      const snake = { marketReach: 'market_reach', endUsers: 'end_users' };
      const boxes = {};
      const users = el('input.classifier-input', { type: 'text', inputmode: 'numeric', id: `classifier-x-${n}-users`, autocomplete: 'off', 'aria-describedby': `classifier-x-${n}-users-err` });
      const usersErr = el('p.classifier-error', { id: `classifier-x-${n}-users-err`, hidden: true });
      const update = () => {
        const a = {};
        for (const k of keys) a[k] = boxes[k].checked;
        const raw = users.value.trim();
        clearFieldError(users);
        if (raw) {
          if (/^\d{1,15}$/.test(raw)) a.registeredBusinessUsers = Number(raw);
          else showFieldError(users, `${t.error}: ${t.whole_number}`);
        }
        this.extras.annexXiii = a;
        this.reassess();
      };
      const list = el('div.classifier-options');
      for (const k of keys) {
        const id = `classifier-x-${n}-${k}`;
        const box = el('input', { type: 'checkbox', id, 'data-annex': k });
        box.checked = !!(this.extras.annexXiii ? this.extras.annexXiii[k] : annex[k]);
        box.addEventListener('change', update);
        boxes[k] = box;
        list.append(el('label.classifier-option', { for: id }, box, el('span.classifier-option-text', { text: t[`annex_${snake[k] || k}`] })));
      }
      if (this.extras.annexXiii && this.extras.annexXiii.registeredBusinessUsers != null) users.value = String(this.extras.annexXiii.registeredBusinessUsers);
      users.addEventListener('change', update);
      fs.append(list, el('div.classifier-field', {}, el('label', { for: users.id, text: t.business_users }), users, usersErr));
      return fs;
    }
  }

  function inRange(r, v) {
    return (r.gt == null || v > r.gt) && (r.ge == null || v >= r.ge) && (r.lt == null || v < r.lt) && (r.le == null || v <= r.le);
  }

  function showError(p, text) {
    p.textContent = text;
    p.hidden = false;
  }

  function showFieldError(input, text) {
    const err = document.getElementById(`${input.id}-err`);
    input.setAttribute('aria-invalid', 'true');
    if (err) showError(err, text);
  }

  function clearFieldError(input) {
    input.removeAttribute('aria-invalid');
    const err = document.getElementById(`${input.id}-err`);
    if (err) {
      err.hidden = true;
      err.textContent = '';
    }
  }

  function boot() {
    for (const root of document.querySelectorAll('[data-classifier]')) {
      try {
        start(root);
      } catch {
        const app = root.querySelector('[data-classifier-app]');
        if (app) {
          app.hidden = false;
          app.replaceChildren(el('p.classifier-load-error', { text: (readJson(root, 'data-classifier-strings') || {}).load_error || '' }));
        }
        const s = root.querySelector('[data-classifier-static]');
        if (s) s.hidden = false;
      }
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
