/* kader-classify.js: a decision aid for any decision tree that kader-classify
 * runs (the government's AI-Act decision-aid format, plus kader's numeric and
 * compute questions). Everything it shows comes from the state that
 * kader-classify.wasm returns; this file knows nothing about any particular
 * tree.
 *
 * Data contract (what a page provides):
 *
 *   <div class="kader-decide" data-wasm="URL of kader-classify.wasm">
 *     … a no-JavaScript fallback (the tree as linked questions) …
 *     <script type="application/json" class="kader-decide-data">{
 *       "name": "…",                      tree name (optional)
 *       "lang": "nl" | "en",
 *       "tree": {…},                      the decision tree (questions, conclusions)
 *       "categories": [{questionId, category, subcategory}],    optional
 *       "definitions": {"definitions": [{term, definition}]},   optional
 *       "labelMap": {groups: {subcategory: taxonomy}, labels: {label: term}, ignore: [label]},
 *                                         optional: gives the profile at the conclusion
 *       "strings": {…},                   UI texts; missing keys fall back to the
 *                                         nl or en texts below
 *       "overviewUrl": "…",               optional: "Vereisten voor jou" links here
 *                                         with the profile as ?taxonomy=term&…
 *       "conclusionUrls": {"id": "url"},  optional: a static page per conclusion
 *       "pages": [{title, url, terms: {taxonomy: [term]}, uitzondering: [expr]}]
 *                                         optional: the conclusion lists those that apply
 *       "termLabels": {taxonomy: {label, terms: {slug: label}}}
 *                                         optional: the outcome names groups and labels
 *                                         by the taxonomy and term they map to
 *     }</script>
 *   </div>
 *
 * The answers are kept in the URL (`?a=0_2_v3e%2B25`: answer indices, `v`
 * and a value for numeric answers; also read from the hash), so a link
 * restores the walk and the browser's Back and Forward step through it. An
 * element may name another parameter with data-param.
 *
 * UI strings (key: nl / en); {x} is filled in:
 *   question        Vraag / Question
 *   next            Volgende / Next
 *   back            Vorige vraag / Previous question
 *   restart         Opnieuw beginnen / Start again
 *   progress_label  Voortgang / Progress
 *   step_done       afgerond / done
 *   step_current    huidige stap / current step
 *   step_skipped    niet nodig / not needed
 *   choose          Kies een antwoord. / Choose an answer.
 *   sources         Bronnen / Sources
 *   more            Meer uitleg / More explanation
 *   answers         Uw antwoorden / Your answers
 *   change          Wijzig / Change
 *   change_label    Wijzig uw antwoord op: {question} / Change your answer to: {question}
 *   conclusion      Conclusie / Conclusion
 *   obligation      Wat betekent dit? / What does this mean?
 *   labels          Uitkomst per onderdeel / Outcome per part
 *   no_subcategory  Overig / Other
 *   overview        Vereisten voor jou / Requirements for you
 *   conclusion_page Meer over deze conclusie / More about this conclusion
 *   requirements    Vereisten die van toepassing zijn / Requirements that apply
 *   requirements_none Geen vereisten in deze kennisbank passen bij deze uitkomst. / No requirements …
 *   status_question Vraag {n}: {question} / Question {n}: {question}
 *   status_outcome  Uitkomst: {title} / Outcome: {title}
 *   error           Fout / Error
 *   load_error      De interactieve beslishulp kon niet worden geladen. … / The interactive decision aid could not be loaded. …
 *   restore_error   Antwoord {n} uit de link past niet (meer); … / Answer {n} of the link does not fit (any more); …
 *   value           Waarde / Value
 *   method_legend, method_direct, method_parameters, method_accelerators
 *   field_value, field_value_hint, field_parameters, field_parameters_hint,
 *   field_tokens, field_tokens_hint, field_count, field_hours, field_peak,
 *   field_peak_hint, field_utilisation, field_utilisation_hint
 *                   the compute estimator's form
 *   formula         Berekening / Calculation
 *   selects         Dit leidt tot het antwoord: {answer} / This gives the answer: {answer}
 *   alternatives    Of kies: / Or choose:
 *   term_hint       Uitleg bij {term} / Definition of {term}
 *
 * Plain ES, no dependencies, no inline styles or handlers, no eval (works
 * under `default-src 'self'; script-src 'self' 'wasm-unsafe-eval';
 * style-src 'self'`). Text goes in with textContent; the only innerHTML is
 * for the tree's texts, which the wasm module sanitizes.
 */
(() => {
  'use strict';

  const STRINGS = {
    nl: {
      question: 'Vraag',
      next: 'Volgende',
      back: 'Vorige vraag',
      restart: 'Opnieuw beginnen',
      progress_label: 'Voortgang',
      step_done: 'afgerond',
      step_current: 'huidige stap',
      step_skipped: 'niet nodig',
      choose: 'Kies een antwoord.',
      sources: 'Bronnen',
      more: 'Meer uitleg',
      answers: 'Uw antwoorden',
      change: 'Wijzig',
      change_label: 'Wijzig uw antwoord op: {question}',
      conclusion: 'Conclusie',
      obligation: 'Wat betekent dit?',
      labels: 'Uitkomst per onderdeel',
      no_subcategory: 'Overig',
      overview: 'Vereisten voor jou',
      conclusion_page: 'Meer over deze conclusie',
      requirements: 'Vereisten die van toepassing zijn',
      requirements_none: 'Geen vereisten in deze kennisbank passen bij deze uitkomst.',
      status_question: 'Vraag {n}: {question}',
      status_outcome: 'Uitkomst: {title}',
      error: 'Fout',
      load_error: 'De interactieve beslishulp kon niet worden geladen. De vragen hieronder werken ook zonder.',
      restore_error: 'Antwoord {n} uit de link past niet (meer) bij deze beslishulp; u gaat verder vanaf die vraag.',
      value: 'Waarde',
      method_legend: 'Hoe geeft u de rekenkracht op?',
      method_direct: 'Zelf invullen',
      method_parameters: 'Schatten uit parameters en tokens (6 · N · D)',
      method_accelerators: 'Schatten uit de hardware',
      field_value: 'Trainingsrekenkracht in FLOP',
      field_value_hint: 'Bijvoorbeeld 3e25, 10^25 of 1,2 × 10^24.',
      field_parameters: 'Aantal parameters (N)',
      field_parameters_hint: 'Bijvoorbeeld 7e10 of 70 × 10^9.',
      field_tokens: 'Aantal trainingstokens (D)',
      field_tokens_hint: 'Bijvoorbeeld 1,5e12.',
      field_count: "Aantal accelerators (GPU's of TPU's)",
      field_hours: 'Trainingsduur in uren',
      field_peak: 'Piekrekenkracht per accelerator in FLOP/s',
      field_peak_hint: 'Bijvoorbeeld 9,89e14 (NVIDIA H100, BF16).',
      field_utilisation: 'Benuttingsgraad',
      field_utilisation_hint: 'Groter dan 0 en ten hoogste 1, of een percentage: 0,4 of 40%.',
      formula: 'Berekening',
      selects: 'Dit leidt tot het antwoord: {answer}',
      alternatives: 'Of kies:',
      term_hint: 'Uitleg bij {term}',
    },
    en: {
      question: 'Question',
      next: 'Next',
      back: 'Previous question',
      restart: 'Start again',
      progress_label: 'Progress',
      step_done: 'done',
      step_current: 'current step',
      step_skipped: 'not needed',
      choose: 'Choose an answer.',
      sources: 'Sources',
      more: 'More explanation',
      answers: 'Your answers',
      change: 'Change',
      change_label: 'Change your answer to: {question}',
      conclusion: 'Conclusion',
      obligation: 'What does this mean?',
      labels: 'Outcome per part',
      no_subcategory: 'Other',
      overview: 'Requirements for you',
      conclusion_page: 'More about this conclusion',
      requirements: 'Requirements that apply',
      requirements_none: 'No requirements in this knowledge base match this outcome.',
      status_question: 'Question {n}: {question}',
      status_outcome: 'Outcome: {title}',
      error: 'Error',
      load_error: 'The interactive decision aid could not be loaded. The questions below also work without it.',
      restore_error: 'Answer {n} of the link does not fit this decision aid (any more); you go on from that question.',
      value: 'Value',
      method_legend: 'How do you give the compute?',
      method_direct: 'Enter it',
      method_parameters: 'Estimate from parameters and tokens (6 · N · D)',
      method_accelerators: 'Estimate from the hardware',
      field_value: 'Training compute in FLOP',
      field_value_hint: 'For example 3e25, 10^25 or 1.2 × 10^24.',
      field_parameters: 'Number of parameters (N)',
      field_parameters_hint: 'For example 7e10 or 70 × 10^9.',
      field_tokens: 'Number of training tokens (D)',
      field_tokens_hint: 'For example 1.5e12.',
      field_count: 'Number of accelerators (GPUs or TPUs)',
      field_hours: 'Training time in hours',
      field_peak: 'Peak compute per accelerator in FLOP/s',
      field_peak_hint: 'For example 9.89e14 (NVIDIA H100, BF16).',
      field_utilisation: 'Utilisation',
      field_utilisation_hint: 'Greater than 0 and at most 1, or a percentage: 0.4 or 40%.',
      formula: 'Calculation',
      selects: 'This gives the answer: {answer}',
      alternatives: 'Or choose:',
      term_hint: 'Definition of {term}',
    },
  };

  const METHODS = {
    direct: [['value', 'field_value', 'field_value_hint']],
    parameters: [
      ['parameters', 'field_parameters', 'field_parameters_hint'],
      ['tokens', 'field_tokens', 'field_tokens_hint'],
    ],
    accelerators: [
      ['count', 'field_count', null],
      ['hours', 'field_hours', null],
      ['peakFlops', 'field_peak', 'field_peak_hint'],
      ['utilisation', 'field_utilisation', 'field_utilisation_hint'],
    ],
  };
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

  /** The raw C ABI of crates/wasm/src/classify.rs, as JSON calls. */
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
    const call = (fn, before, input) => {
      const [p, n] = put(JSON.stringify(input));
      try {
        return fn(...before, p, n);
      } finally {
        ex.kader_free(p, n);
      }
    };
    return {
      open: (bundle) => call(ex.classify_open, [], bundle),
      close: (h) => ex.classify_close(h),
      state: (h) => take(ex.classify_state(h)),
      answer: (h, i) => take(ex.classify_answer(h, i)),
      answerValue: (h, input) => take(call(ex.classify_answer_value, [h], input)),
      back: (h) => take(ex.classify_back(h)),
      jump: (h, n) => take(ex.classify_jump(h, n)),
      restore: (h, steps) => take(call(ex.classify_restore, [h], steps)),
      restart: (h) => take(ex.classify_restart(h)),
      estimate: (h, input) => take(call(ex.classify_estimate, [h], input)),
      applicable: (input) => take(call(ex.classify_applicable, [], input)),
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

  /** Sets tree HTML, sanitized by the wasm module. */
  function setHtml(e, html) {
    e.innerHTML = html || '';
    for (const a of e.querySelectorAll('a[href]')) a.rel = 'noopener';
    return e;
  }

  function fill(s, vars) {
    return String(s).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
  }

  function plain(html) {
    const d = document.createElement('div');
    setHtml(d, html);
    return d.textContent.trim().replace(/\s+/g, ' ');
  }

  // ------------------------------------------------------------ URL state

  function encodeSteps(steps) {
    return steps.map((s) => (typeof s === 'number' ? String(s) : `v${s.value}`)).join('_');
  }

  /** The steps in `raw`, up to the first that cannot be read. */
  function decodeSteps(raw) {
    const out = [];
    for (const part of (raw || '').split('_')) {
      if (/^\d{1,4}$/.test(part)) out.push(Number(part));
      else if (/^v[-+0-9.eE]+$/.test(part) && Number.isFinite(Number(part.slice(1)))) out.push({ value: Number(part.slice(1)) });
      else break;
    }
    return out;
  }

  function readUrlSteps(param) {
    const q = new URLSearchParams(location.search).get(param);
    const h = new URLSearchParams(location.hash.replace(/^#/, '')).get(param);
    return decodeSteps(q != null ? q : h);
  }

  function urlWithSteps(param, steps) {
    const u = new URL(location.href);
    if (steps.length) u.searchParams.set(param, encodeSteps(steps));
    else u.searchParams.delete(param);
    const hash = new URLSearchParams(u.hash.replace(/^#/, ''));
    if (hash.has(param)) {
      hash.delete(param);
      u.hash = hash.toString();
    }
    return u.toString();
  }

  // ------------------------------------------------------------ the widget

  class Decide {
    constructor(root, data, wasm) {
      this.root = root;
      this.data = data;
      this.lang = data.lang === 'en' ? 'en' : 'nl';
      this.t = { ...STRINGS[this.lang], ...(data.strings || {}) };
      this.api = api(wasm);
      this.param = root.getAttribute('data-param') || 'a';
      this.id = `kd-${++uid}`;
      this.h = this.api.open({
        tree: data.tree,
        categories: data.categories || [],
        definitions: data.definitions || { definitions: [] },
        labelMap: data.labelMap || null,
        lang: this.lang,
      });
      if (!this.h) throw new Error('the decision tree cannot be opened');
      this.estimateTimer = 0;
    }

    start() {
      const fallback = this.root.querySelector('.kader-decide-fallback');
      this.status = el('p.visually-hidden', { role: 'status', 'aria-live': 'polite' });
      this.notice = el('p.kd-notice', { role: 'alert', hidden: true });
      this.app = el('div.kd-app');
      this.root.append(el('div.kd-shell', {}, this.notice, this.app, this.status));
      if (fallback) fallback.hidden = true;
      this.fromUrl(false);
      window.addEventListener('popstate', () => this.fromUrl(true));
      this.root.setAttribute('data-kader-decide-ready', '');
      performance.mark('kader-classify:interactive');
    }

    /** Restores the walk in the URL (on load and on Back/Forward). */
    fromUrl(announce) {
      const steps = readUrlSteps(this.param);
      const r = this.api.restore(this.h, steps);
      this.showNotice(null);
      if (!r.ok && r.error && r.error.step != null) {
        this.showNotice(fill(this.t.restore_error, { n: r.error.step + 1 }));
        history.replaceState(history.state, '', urlWithSteps(this.param, r.state.steps));
      }
      this.render(r.state, { focus: announce, announce });
    }

    showNotice(text) {
      this.notice.hidden = !text;
      this.notice.textContent = text || '';
    }

    /** Applies a step's result: errors stay on the form, state moves on. */
    apply(r, fieldErrors) {
      if (!r.ok) {
        if (r.error && r.error.field && fieldErrors) return fieldErrors(r.error);
        return this.formError(r.error ? r.error.message : this.t.error);
      }
      this.showNotice(null);
      history.pushState(history.state, '', urlWithSteps(this.param, r.state.steps));
      this.render(r.state, { focus: true, announce: true });
    }

    formError(message) {
      const box = this.app.querySelector('.kd-form-error');
      if (!box) return;
      box.hidden = false;
      box.textContent = message;
    }

    render(state, { focus, announce }) {
      this.state = state;
      const t = this.t;
      const parts = [];
      if (state.progress.length) parts.push(this.progress(state));
      if (state.at === 'question' && state.question) parts.push(this.questionCard(state));
      if (state.at === 'conclusion' && state.conclusion) parts.push(this.conclusionCard(state));
      parts.push(this.actions(state));
      if (state.history.length) parts.push(this.summary(state));
      this.app.replaceChildren(...parts);
      const heading = this.app.querySelector('.kd-title');
      if (focus && heading) heading.focus();
      if (announce) {
        this.status.textContent =
          state.at === 'conclusion'
            ? fill(t.status_outcome, { title: plain(state.conclusion.conclusion) })
            : fill(t.status_question, { n: state.history.length + 1, question: plain(state.question.question) });
      }
    }

    progress(state) {
      const t = this.t;
      const items = state.progress.map((c) =>
        el(
          `li.kd-step.kd-step-${c.status}`,
          { 'aria-current': c.status === 'current' ? 'step' : null },
          el('span.kd-step-name', { text: c.name }),
          c.status === 'done' ? el('span.visually-hidden', { text: ` (${t.step_done})` }) : null,
          c.status === 'current' ? el('span.visually-hidden', { text: ` (${t.step_current})` }) : null,
          c.status === 'skipped' ? el('span.visually-hidden', { text: ` (${t.step_skipped})` }) : null,
        ),
      );
      return el('nav.kd-progress', { 'aria-label': t.progress_label }, el('ol', {}, ...items));
    }

    /** The question text with its defined terms as focusable tooltips. */
    questionText(q) {
      let html = q.question;
      const terms = [...(q.terms || [])].sort((a, b) => b.start - a.start);
      for (const [i, m] of terms.entries()) {
        html = `${html.slice(0, m.start)}<span data-kd-term="${i}">${html.slice(m.start, m.end)}</span>${html.slice(m.end)}`;
      }
      const box = setHtml(el('span.kd-question-text'), html);
      for (const span of box.querySelectorAll('[data-kd-term]')) {
        const m = terms[Number(span.getAttribute('data-kd-term'))];
        const tip = el('span.kd-tooltip', { role: 'tooltip', id: `${this.id}-tip-${++uid}`, hidden: true, text: m.definition });
        const button = el('button.kd-term', { type: 'button', 'aria-describedby': tip.id, title: null }, ...span.childNodes);
        button.setAttribute('aria-label', `${button.textContent} (${fill(this.t.term_hint, { term: m.term })})`);
        const show = () => (tip.hidden = false);
        const hide = () => (tip.hidden = true);
        button.addEventListener('focus', show);
        button.addEventListener('blur', hide);
        button.addEventListener('mouseenter', show);
        button.addEventListener('mouseleave', () => document.activeElement !== button && hide());
        button.addEventListener('click', () => (tip.hidden = !tip.hidden));
        button.addEventListener('keydown', (e) => {
          if (e.key === 'Escape' && !tip.hidden) {
            hide();
            e.stopPropagation();
          }
        });
        span.replaceWith(el('span.kd-term-wrap', {}, button, tip));
      }
      return box;
    }

    sources(list) {
      if (!list || !list.length) return null;
      const items = list.map((s) =>
        el('li', {}, s.url ? el('a', { href: s.url, rel: 'noopener', text: s.source }) : s.source),
      );
      return el('div.kd-sources', {}, el('p.kd-sources-label', { text: this.t.sources }), el('ul', {}, ...items));
    }

    questionCard(state) {
      const t = this.t;
      const q = state.question;
      const titleId = `${this.id}-q`;
      const form = el('form.kd-card.kd-question', { 'data-question-id': q.questionId, 'aria-labelledby': titleId, novalidate: true });
      const title = el(
        'h3.kd-title',
        { id: titleId, tabindex: '-1' },
        el('span.kd-number', { text: `${t.question} ${state.history.length + 1}` }),
        this.questionText(q),
      );
      form.append(title);
      if (q.explanation) form.append(setHtml(el('div.kd-explanation'), q.explanation));
      if (q.description) {
        form.append(el('details.kd-description', {}, el('summary', { text: t.more }), setHtml(el('div'), q.description)));
      }
      const error = el('p.kd-form-error', { role: 'alert', hidden: true });
      if (q.input) this.numericFields(form, q, error);
      else this.choiceFields(form, q, error);
      const sources = this.sources(q.sources);
      if (sources) form.append(sources);
      return form;
    }

    choiceFields(form, q, error) {
      const t = this.t;
      const name = `${this.id}-answer`;
      const options = q.answers.map((a) => {
        const input = el('input', { type: 'radio', name, value: a.index });
        return el(
          'label.kd-option',
          {},
          input,
          el('span.kd-option-text', {}, setHtml(el('span'), a.answer), a.explanation ? setHtml(el('span.kd-option-note'), a.explanation) : null),
        );
      });
      const fieldset = el('fieldset.kd-options', { 'aria-labelledby': `${this.id}-q` }, ...options);
      form.append(fieldset, error, el('p.kd-submit', {}, el('button.kd-button', { type: 'submit', text: t.next })));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const checked = form.querySelector(`input[name="${name}"]:checked`);
        if (!checked) {
          error.hidden = false;
          error.textContent = t.choose;
          fieldset.querySelector('input')?.focus();
          return;
        }
        this.apply(this.api.answer(this.h, Number(checked.value)));
      });
    }

    numericFields(form, q, error) {
      const t = this.t;
      const compute = q.input.kind === 'compute';
      const fields = el('div.kd-fields');
      const preview = el('div.kd-estimate', { 'aria-live': 'polite' });
      let method = 'direct';
      const inputs = {};
      const field = ([key, label, hint]) => {
        const id = `${this.id}-${key}`;
        const hintEl = hint ? el('p.kd-hint', { id: `${id}-hint`, text: t[hint] }) : null;
        const err = el('p.kd-field-error', { id: `${id}-error`, hidden: true });
        const input = el('input.kd-input', {
          id,
          name: key,
          type: 'text',
          inputmode: 'decimal',
          autocomplete: 'off',
          spellcheck: 'false',
          'aria-describedby': [hintEl && hintEl.id, err.id].filter(Boolean).join(' '),
        });
        inputs[key] = { input, err };
        input.addEventListener('input', () => this.schedulePreview(request(), preview));
        const labelText = compute ? t[label] : q.input.unit ? `${t.value} (${q.input.unit})` : t.value;
        return el('div.kd-field', {}, el('label', { for: id, text: labelText }), input, hintEl, err);
      };
      const showMethod = () => {
        fields.replaceChildren(...(compute ? METHODS[method] : METHODS.direct).map(field));
        preview.replaceChildren();
      };
      const request = () => {
        const r = { method };
        for (const [k, { input }] of Object.entries(inputs)) if (input.isConnected) r[k] = input.value;
        return r;
      };
      if (compute) {
        const name = `${this.id}-method`;
        const radios = Object.keys(METHODS).map((m) => {
          const input = el('input', { type: 'radio', name, value: m, checked: m === method });
          input.addEventListener('change', () => {
            method = m;
            showMethod();
          });
          return el('label.kd-option.kd-option-small', {}, input, el('span', { text: t[`method_${m}`] }));
        });
        form.append(el('fieldset.kd-methods', {}, el('legend.kd-legend', { text: t.method_legend }), ...radios));
      }
      showMethod();
      const ranged = q.answers.filter((a) => a.range);
      const others = q.answers.filter((a) => !a.range);
      const ranges = ranged.length
        ? el('ul.kd-ranges', {}, ...ranged.map((a) => setHtml(el('li', { 'data-answer': a.index }), a.answer)))
        : null;
      form.append(fields, preview, ranges, error, el('p.kd-submit', {}, el('button.kd-button', { type: 'submit', text: t.next })));
      if (others.length) {
        const buttons = others.map((a) => {
          const b = setHtml(el('button.kd-button.kd-button-secondary', { type: 'button' }), a.answer);
          b.addEventListener('click', () => this.apply(this.api.answer(this.h, a.index)));
          return b;
        });
        form.append(el('div.kd-alternatives', {}, el('p.kd-alternatives-label', { text: t.alternatives }), ...buttons));
      }
      const showFieldError = (e) => {
        for (const { input, err } of Object.values(inputs)) {
          input.removeAttribute('aria-invalid');
          err.hidden = true;
        }
        const target = inputs[e.field] || inputs.value || Object.values(inputs)[0];
        if (!target || !target.input.isConnected) return this.formError(e.message);
        target.input.setAttribute('aria-invalid', 'true');
        target.err.hidden = false;
        target.err.textContent = e.message;
        target.input.focus();
      };
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        this.apply(this.api.answerValue(this.h, request()), showFieldError);
      });
    }

    /** Shows, while typing, the estimate and the answer it selects. */
    schedulePreview(request, box) {
      clearTimeout(this.estimateTimer);
      this.estimateTimer = setTimeout(() => {
        const filled = Object.entries(request).some(([k, v]) => k !== 'method' && String(v).trim());
        if (!filled) return box.replaceChildren();
        const r = this.api.estimate(this.h, request);
        for (const li of this.app.querySelectorAll('.kd-ranges li')) li.classList.remove('kd-range-current');
        if (!r.ok) return box.replaceChildren();
        const e = r.estimate;
        const parts = [el('p.kd-formula', {}, el('span.kd-formula-label', { text: `${this.t.formula}: ` }), el('span.kd-math', { text: e.formula }))];
        if (e.answer != null) {
          this.app.querySelector(`.kd-ranges li[data-answer="${e.answer}"]`)?.classList.add('kd-range-current');
          parts.push(el('p.kd-selects', { text: fill(this.t.selects, { answer: plain(e.answerText) }) }));
        }
        box.replaceChildren(...parts);
      }, 120);
    }

    profileQuery(state) {
      const p = new URLSearchParams();
      // Terms that narrow nothing (a group left open) stay out of the link.
      for (const [tax, terms] of Object.entries((state.profile && state.profile.terms) || {})) {
        for (const term of terms) if (term !== 'niet-van-toepassing') p.append(tax, term);
      }
      return p.toString();
    }

    conclusionCard(state) {
      const t = this.t;
      const c = state.conclusion;
      const card = el('section.kd-card.kd-conclusion', { 'aria-labelledby': `${this.id}-c`, 'data-conclusion-id': c.conclusionId });
      card.append(
        el('h3.kd-title', { id: `${this.id}-c`, tabindex: '-1' }, el('span.kd-number', { text: t.conclusion }), setHtml(el('span'), c.conclusion)),
      );
      if (c.explanation) card.append(setHtml(el('div.kd-explanation'), c.explanation));
      if (c.obligation) card.append(el('h4', { text: t.obligation }), setHtml(el('div.kd-obligation'), c.obligation));
      if (c.conclusionComment) card.append(setHtml(el('div.kd-comment'), c.conclusionComment));
      const sources = this.sources(c.sources);
      if (sources) card.append(sources);
      const links = [];
      if (this.data.overviewUrl) {
        const q = this.profileQuery(state);
        const base = String(this.data.overviewUrl);
        const href = q ? `${base}${base.includes('?') ? '&' : '?'}${q}` : base;
        links.push(el('a.kd-button.kd-primary-link', { href, text: t.overview }));
      }
      const page = (this.data.conclusionUrls || {})[c.conclusionId];
      if (page) links.push(el('a.kd-button.kd-button-secondary', { href: page, text: t.conclusion_page }));
      if (links.length) card.append(el('p.kd-links', {}, ...links));
      const groups = this.groups(state);
      if (groups) card.append(groups);
      const pages = this.applicablePages(state);
      if (pages) card.append(pages);
      return card;
    }

    groups(state) {
      if (!state.groups.length) return null;
      const t = this.t;
      // With a label map and the taxonomies' labels, a group reads as its
      // taxonomy and a label as its term; otherwise as written in the tree.
      const map = this.data.labelMap || {};
      const names = this.data.termLabels || {};
      const named = (g) => {
        const tax = g.subcategory && map.groups && map.groups[g.subcategory];
        const info = tax && names[tax];
        if (!info) return [g.subcategory || t.no_subcategory, g.labels];
        const labels = g.labels.map((l) => {
          const term = map.labels && map.labels[l];
          return (term && info.terms && info.terms[term]) || l;
        });
        return [info.label || g.subcategory, [...new Set(labels)]];
      };
      const rows = state.groups.flatMap((g) => {
        const [name, labels] = named(g);
        return [el('dt', { text: name }), labels.length ? el('dd', { text: labels.join(', ') }) : el('dd.kd-open', { text: g.text })];
      });
      return el('div.kd-groups', {}, el('h4', { text: t.labels }), el('dl', {}, ...rows));
    }

    applicablePages(state) {
      const pages = this.data.pages;
      if (!Array.isArray(pages) || !state.profile) return null;
      const r = this.api.applicable({
        profile: state.profile,
        pages: pages.map((p, i) => ({ slug: String(i), terms: p.terms || {}, uitzondering: p.uitzondering || [] })),
      });
      if (!r.ok) return null;
      const hits = r.results.filter((x) => x.applies).map((x) => pages[Number(x.slug)]);
      const t = this.t;
      return el(
        'div.kd-pages',
        {},
        el('h4', { text: t.requirements }),
        hits.length
          ? el('ul', {}, ...hits.map((p) => el('li', {}, el('a', { href: p.url, text: p.title }))))
          : el('p', { text: t.requirements_none }),
      );
    }

    actions(state) {
      const t = this.t;
      const back = el('button.kd-button.kd-button-secondary', { type: 'button', text: t.back, disabled: !state.history.length, 'data-kd-back': true });
      back.addEventListener('click', () => this.apply(this.api.back(this.h)));
      const restart = el('button.kd-button.kd-button-secondary', { type: 'button', text: t.restart, disabled: !state.history.length, 'data-kd-restart': true });
      restart.addEventListener('click', () => this.apply(this.api.restart(this.h)));
      return el('div.kd-actions', {}, back, restart);
    }

    summary(state) {
      const t = this.t;
      const items = state.history.map((h) => {
        const question = plain(h.question);
        const change = el('button.kd-change', { type: 'button', text: t.change, 'aria-label': fill(t.change_label, { question }) });
        change.addEventListener('click', () => this.apply(this.api.jump(this.h, h.step)));
        const answer = el('p.kd-summary-answer', {}, setHtml(el('span'), h.answer));
        if (h.valueText) answer.append(el('span.kd-summary-value', { text: ` (${h.valueText})` }));
        return el(
          'li.kd-summary-item',
          {},
          el('div.kd-summary-text', {},
            el('p.kd-summary-question', { text: question }),
            answer,
            h.formula && h.formula !== h.valueText ? el('p.kd-summary-note', {}, el('span.kd-math', { text: h.formula })) : null,
            h.subresult ? setHtml(el('p.kd-summary-note'), h.subresult) : null,
            h.answerComment ? setHtml(el('p.kd-summary-note'), h.answerComment) : null,
          ),
          change,
        );
      });
      return el('section.kd-summary', { 'aria-labelledby': `${this.id}-s` }, el('h3', { id: `${this.id}-s`, text: t.answers }), el('ol', {}, ...items));
    }
  }

  // ------------------------------------------------------------ start

  async function boot(root) {
    if (root.hasAttribute('data-kader-decide-boot')) return;
    root.setAttribute('data-kader-decide-boot', '');
    let data;
    try {
      data = JSON.parse(root.querySelector('script.kader-decide-data')?.textContent || 'null');
    } catch {
      data = null;
    }
    if (!data || !data.tree) return;
    const t = { ...STRINGS[data.lang === 'en' ? 'en' : 'nl'], ...(data.strings || {}) };
    try {
      const wasm = await instantiate(root.getAttribute('data-wasm'));
      new Decide(root, data, wasm).start();
    } catch (e) {
      root.prepend(el('p.kd-notice', { role: 'alert', text: t.load_error }));
      root.setAttribute('data-kader-decide-error', String(e && e.message ? e.message : e));
    }
  }

  function all() {
    for (const root of document.querySelectorAll('.kader-decide[data-wasm]')) boot(root);
  }

  // Other scripts of the site (kader-profile.js) use the same module.
  window.kaderClassify = { load: async (url) => api(await instantiate(url)) };
  document.dispatchEvent(new Event('kader-classify-ready'));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
  else all();
})();
