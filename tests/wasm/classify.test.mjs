// Exercises static/kader-classify.wasm (crates/wasm/src/classify.rs) in node,
// through the same raw ABI the widget uses, on the bundled decision trees.
//
//   node --test tests/wasm/
//
// No dependencies: the trees are read from content/beslisbomen/*.yaml with a
// small reader for the YAML subset they use (see readYaml below).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WASM = path.join(REPO, 'static/kader-classify.wasm');

// ------------------------------------------------------------ the module

const { instance } = await WebAssembly.instantiate(fs.readFileSync(WASM), {});
const ex = instance.exports;
const enc = new TextEncoder();
const dec = new TextDecoder();

function put(bytes) {
  const b = typeof bytes === 'string' ? enc.encode(bytes) : bytes;
  const p = ex.kader_alloc(b.length) >>> 0;
  new Uint8Array(ex.memory.buffer, p, b.length).set(b);
  return [p, b.length];
}
function take(packed) {
  const v = BigInt.asUintN(64, BigInt(packed));
  const p = Number(v >> 32n);
  const n = Number(v & 0xffffffffn);
  const s = dec.decode(new Uint8Array(ex.memory.buffer, p, n).slice());
  ex.kader_free(p, n);
  return JSON.parse(s);
}
function call(fn, before, inputs) {
  const bufs = inputs.map(put);
  try {
    return fn(...before, ...bufs.flat());
  } finally {
    for (const [p, n] of bufs) ex.kader_free(p, n);
  }
}
const json = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
const W = {
  open: (tree, lang = 'nl') => call(ex.classify_session_open, [], [json(tree), lang]),
  close: (h) => ex.classify_session_close(h),
  state: (h) => take(ex.classify_state(h)),
  answer: (h, i) => take(ex.classify_answer(h, i)),
  value: (h, input) => take(call(ex.classify_answer_value, [h], [json(input)])),
  back: (h) => take(ex.classify_back(h)),
  restart: (h) => take(ex.classify_restart(h)),
  sessionAssess: (h, extras) => take(call(ex.classify_session_assess, [h], [json(extras)])),
  estimate: (input, lang = 'nl') => take(call(ex.classify_estimate, [], [json(input), lang])),
  assess: (facts, lang = 'nl') => take(call(ex.classify_assess, [], [json(facts), lang])),
  dates: (input, lang = 'nl') => take(call(ex.classify_dates, [], [json(input), lang])),
};

// ------------------------------------------------------------ the trees

/**
 * Reads the YAML subset of content/beslisbomen/: block mappings and
 * sequences, plain and quoted scalars, folded blocks (`>-`), flow mappings
 * and sequences of scalars, comments. Throws on anything else.
 */
export function readYaml(src) {
  const lines = src.split('\n').map((l) => l.replace(/\r$/, ''));
  let i = 0;
  const blank = (l) => /^\s*(#.*)?$/.test(l);
  const indentOf = (l) => l.match(/^ */)[0].length;
  const skip = () => {
    while (i < lines.length && blank(lines[i])) i++;
  };
  const unquote = (s) => {
    if (s.startsWith('"')) return JSON.parse(s);
    if (s.startsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
    return s;
  };
  const splitTop = (s) => {
    const out = [];
    let depth = 0;
    let q = null;
    let cur = '';
    for (const c of s) {
      if (q) {
        if (c === q) q = null;
      } else if (c === '"' || c === "'") q = c;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      else if (c === ',' && depth === 0) {
        out.push(cur.trim());
        cur = '';
        continue;
      }
      cur += c;
    }
    if (cur.trim()) out.push(cur.trim());
    return out;
  };
  const scalar = (raw) => {
    let s = raw.trim();
    if (!s.startsWith('"') && !s.startsWith("'")) s = s.replace(/\s+#.*$/, '');
    if (s.startsWith('{')) {
      const o = {};
      for (const part of splitTop(s.slice(1, -1))) {
        const m = /^("[^"]*"|'[^']*'|[^:]+?):\s*(.*)$/.exec(part);
        if (!m) throw new Error(`yaml flow mapping: ${s}`);
        o[unquote(m[1].trim())] = scalar(m[2]);
      }
      return o;
    }
    if (s.startsWith('[')) return splitTop(s.slice(1, -1)).map(scalar);
    if (s.startsWith('"') || s.startsWith("'")) return unquote(s);
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
    if (s === 'true' || s === 'false') return s === 'true';
    if (s === 'null' || s === '~' || s === '') return null;
    return s;
  };
  const folded = (parentIndent) => {
    const parts = [];
    while (i < lines.length && (lines[i].trim() === '' || indentOf(lines[i]) > parentIndent)) {
      parts.push(lines[i].trim());
      i++;
    }
    while (parts.length && parts[parts.length - 1] === '') parts.pop();
    return parts.reduce((acc, p) => (p === '' ? `${acc}\n` : acc === '' || acc.endsWith('\n') ? acc + p : `${acc} ${p}`), '');
  };
  const block = (minIndent) => {
    skip();
    if (i >= lines.length || indentOf(lines[i]) < minIndent) return null;
    const ind = indentOf(lines[i]);
    return lines[i].slice(ind).startsWith('-') ? seq(ind) : map(ind);
  };
  const seq = (ind) => {
    const out = [];
    for (;;) {
      skip();
      if (i >= lines.length) break;
      const l = lines[i];
      if (indentOf(l) !== ind || !/^-( |$)/.test(l.slice(ind))) break;
      const rest = l.slice(ind + 1).replace(/^ +/, '');
      const restIndent = l.length - l.slice(ind + 1).replace(/^ +/, '').length;
      if (rest === '') {
        i++;
        out.push(block(ind + 1));
      } else if (/^("[^"]*"|'[^']*'|[^"'{[][^:]*?):( |$)/.test(rest)) {
        lines[i] = ' '.repeat(restIndent) + rest; // "- key: v" opens a mapping
        out.push(map(restIndent));
      } else {
        i++;
        out.push(scalar(rest));
      }
    }
    return out;
  };
  const map = (ind) => {
    const out = {};
    for (;;) {
      skip();
      if (i >= lines.length) break;
      const l = lines[i];
      if (indentOf(l) !== ind || l.slice(ind).startsWith('- ')) break;
      const m = /^("[^"]*"|'[^']*'|[^:]+?):(?: +(.*))?$/.exec(l.slice(ind));
      if (!m) throw new Error(`yaml line ${i + 1}: ${l}`);
      const key = unquote(m[1]);
      const v = (m[2] || '').trim();
      i++;
      if (v === '>-' || v === '>') out[key] = folded(ind);
      else if (v === '' || v.startsWith('#')) {
        skip();
        const next = i < lines.length ? lines[i] : '';
        out[key] = indentOf(next) > ind || (indentOf(next) === ind && next.slice(ind).startsWith('- ')) ? block(ind) : null;
      } else out[key] = scalar(v);
    }
    return out;
  };
  return block(0);
}

const NL = readYaml(fs.readFileSync(path.join(REPO, 'content/beslisbomen/gpai.yaml'), 'utf8'));
const EN = readYaml(fs.readFileSync(path.join(REPO, 'content/beslisbomen/gpai.en.yaml'), 'utf8'));

/** Walks with answers chosen by text prefix, or compute values `{value}`. */
function walk(tree, steps, lang = 'nl') {
  const h = W.open(tree, lang);
  assert.ok(h > 0, 'the tree opens');
  let s = W.state(h);
  for (const step of steps) {
    if (typeof step === 'object') {
      s = W.value(h, { method: 'direct', ...step });
    } else {
      assert.equal(s.at, 'question', `at a conclusion before ${step}`);
      const a = s.question.answers.find((x) => x.answer.startsWith(step));
      assert.ok(a, `question ${s.question.questionId} has no answer starting with ${step}`);
      s = W.answer(h, a.index);
    }
    assert.equal(s.ok, true, `${step}: ${JSON.stringify(s.error)}`);
  }
  return { h, s };
}

// ------------------------------------------------------------ tests

test('the YAML reader reads the bundled trees', () => {
  for (const tree of [NL, EN]) {
    assert.equal(tree.questions.length, 8);
    assert.equal(tree.conclusions.length, 6);
    const q3 = tree.questions.find((q) => q.questionId === '3.0');
    assert.deepEqual(q3.input, { kind: 'compute', unit: 'FLOP' });
    assert.deepEqual(q3.answers[1].range, { gt: 1e23, le: 1e25 });
    assert.equal(q3.answers[2].range.gt, 1e25);
  }
  assert.match(NL.questions[0].explanation, /^<p>Een <strong>AI-model voor algemene doeleinden<\/strong>/);
  assert.equal(NL.questions[6].answers[0].answer, 'Ja, 10 000 of meer');
});

test('walk ja → aanbieder → 3e25 → nee ends in systemic risk, presumed', () => {
  const { h, s } = walk(NL, ['Ja', 'Aanbieder', { value: '3e25' }, 'Nee']);
  assert.equal(s.at, 'conclusion');
  assert.equal(s.conclusion.conclusionId, 'c-systeemrisico-vermoeden');
  assert.equal(s.assessment.classification, 'systemic-risk-presumed');
  assert.equal(s.agrees, true);
  assert.deepEqual(s.labels, ['ai-model-voor-algemene-doeleinden', 'aanbieder', 'systeemrisico', 'geen-open-source']);
  const art512 = s.assessment.steps.find((x) => x.article === 'art. 51(2)');
  assert.match(art512.text, /groter dan 10\^25 FLOP/);
  assert.match(art512.text, /‘gelijk aan of groter dan’/, 'the trace notes the methodology says meets-or-exceeds');
  assert.ok(s.assessment.steps.every((x) => x.article), 'every step cites its article');
  const articles = s.assessment.obligations.map((o) => o.article);
  for (const a of ['art. 52(1)', 'art. 53(1)(a)', 'art. 55(1)(a)', 'art. 55(1)(d)']) assert.ok(articles.includes(a), a);
  assert.equal(s.compute.value, '3,0 × 10^25 FLOP');
  assert.equal(s.history[2].valueText, '3,0 × 10^25 FLOP');
  // The notification deadline once a date is known.
  const r = W.sessionAssess(h, { thresholdDate: '2025-08-29' });
  assert.equal(r.assessment.notificationDeadline.iso, '2025-09-12');
  assert.equal(r.assessment.notificationDeadline.text, '12 september 2025');
  assert.ok(r.assessment.steps.some((x) => x.article === 'art. 52(1)' && x.text.includes('12 september 2025')));
  W.close(h);
});

test('exactly 10^25 FLOP is not presumed; the next value above is', () => {
  for (const value of ['1e25', '10^25', '10²⁵', '1,0 × 10^25']) {
    const { h, s } = walk(NL, ['Ja', 'Aanbieder', { value }, 'Nee']);
    assert.equal(s.at, 'question', `${value}: the walk goes on to designation`);
    assert.equal(s.question.questionId, '5.0');
    const end = walk(NL, ['Ja', 'Aanbieder', { value }, 'Nee', 'Nee', 'Nee', 'Nee']).s;
    assert.equal(end.conclusion.conclusionId, 'c-gpai-geen-systeemrisico');
    assert.equal(end.assessment.classification, 'gpai');
    assert.match(end.assessment.steps.find((x) => x.article === 'art. 51(2)').text, /niet groter dan 10\^25 FLOP/);
    W.close(h);
  }
  const { s } = walk(NL, ['Ja', 'Aanbieder', { value: '1.0000001e25' }, 'Nee']);
  assert.equal(s.conclusion.conclusionId, 'c-systeemrisico-vermoeden');
  assert.equal(W.assess({ generalPurpose: true, trainingComputeFlop: 1e25 }).classification, 'gpai');
  assert.equal(W.assess({ generalPurpose: true, trainingComputeFlop: 1.0000001e25 }).classification, 'systemic-risk-presumed');
});

test('every conclusion of both trees: the rules agree with the tree', () => {
  const walks = [
    [['Nee'], 'c-geen-gpai', 'not-gpai', false],
    [['Weet ik niet', 'Nee'], 'c-geen-gpai', 'not-gpai', false],
    [['Ja', 'Aanbieder', { value: '2e25' }, 'Ja'], 'c-systeemrisico-vermoeden', 'systemic-risk-presumed', false],
    [['Ja', 'Gebruiks', { value: '2e25' }, 'Nee'], 'c-systeemrisico-vermoeden', 'systemic-risk-presumed', false],
    [['Weet ik niet', 'Ja', 'Gebruiks', { value: '5e24' }, 'Nee', 'Ja'], 'c-systeemrisico-aangewezen', 'systemic-risk-designated', false],
    [['Ja', 'Aanbieder', { value: '1,2 × 10^24' }, 'Nee', 'Nee', 'Ja'], 'c-kan-worden-aangewezen', 'gpai', true],
    [['Ja', 'Aanbieder', { value: '1e22' }, 'Nee', 'Nee', 'Nee', 'Ja'], 'c-kan-worden-aangewezen', 'gpai', true],
    [['Ja', 'Aanbieder', { value: '1e24' }, 'Nee', 'Nee', 'Nee', 'Nee'], 'c-gpai-geen-systeemrisico', 'gpai', false],
    [['Ja', 'Aanbieder', { value: '1e24' }, 'Ja', 'Nee', 'Nee', 'Nee'], 'c-gpai-open-source', 'gpai', false],
    [['Weet ik niet', 'Ja', 'Aanbieder', { value: '5e22' }, 'Nee', 'Nee', 'Nee', 'Nee'], 'c-gpai-geen-systeemrisico', 'gpai', false],
  ];
  // The English tree has the same structure: map the Dutch answer prefixes.
  const toEn = { Nee: 'No', Ja: 'Yes', 'Weet ik niet': 'I don', Aanbieder: 'Provider', Gebruiks: 'Deployer' };
  const seen = { nl: new Set(), en: new Set() };
  for (const [lang, tree] of [
    ['nl', NL],
    ['en', EN],
  ]) {
    for (const [steps, id, classification, may] of walks) {
      const st = lang === 'en' ? steps.map((x) => (typeof x === 'string' ? toEn[x] : x)) : steps;
      const { h, s } = walk(tree, st, lang);
      const what = `${lang} ${JSON.stringify(st)}`;
      assert.equal(s.at, 'conclusion', what);
      assert.equal(s.conclusion.conclusionId, id, what);
      assert.equal(s.assessment.classification, classification, what);
      assert.equal(s.assessment.mayBeDesignated, may, what);
      assert.equal(s.agrees, true, `${what}: ${JSON.stringify(s.assessment.labels)} vs ${JSON.stringify(s.labels)}`);
      seen[lang].add(id);
      W.close(h);
    }
    assert.deepEqual([...seen[lang]].sort(), tree.conclusions.map((c) => c.conclusionId).sort(), `${lang}: every conclusion is covered`);
  }
  // The English session speaks English.
  const { s } = walk(EN, ['Yes', 'Provider', { value: '3e25' }, 'No'], 'en');
  assert.equal(s.assessment.title, 'General-purpose AI model with systemic risk (presumed)');
  assert.match(s.assessment.steps[1].text, /greater than 10\^25 FLOP/);
});

test('compute parsing: accepted notations and clear errors', () => {
  for (const [input, flop] of [
    ['1e25', 1e25],
    ['10^25', 1e25],
    ['1,2 × 10^24', 1.2e24],
    ['3.1E+24', 3.1e24],
    [' 3,1e24 FLOP ', 3.1e24],
  ]) {
    const r = W.estimate({ method: 'direct', value: input });
    assert.equal(r.ok, true, input);
    assert.equal(r.flop, flop, input);
  }
  assert.equal(W.estimate('1,2 × 10^24', 'en').value, '1.2 × 10^24 FLOP');
  for (const [input, kind, nl] of [
    ['abc', 'unexpected-character', /Onverwacht teken ‘a’ op positie 1/],
    ['', 'empty', /Vul een getal in/],
    ['-1e25', 'negative', /niet negatief/],
    ['NaN', 'not-finite', /eindig getal/],
    ['1e400', 'overflow', /te groot/],
    ['5 000 000', 'thousands-separator', /duizendtallen/],
    ['1,000', 'ambiguous-separator', /dubbelzinnig/],
    ['2^80', 'unsupported-base', /machten van 10/],
  ]) {
    const r = W.estimate({ method: 'direct', value: input });
    assert.equal(r.ok, false, input);
    assert.equal(r.error.kind, kind, input);
    assert.match(r.error.message, nl, input);
    assert.ok(r.error.en && r.error.nl, 'both languages');
    assert.equal(r.error.field, 'value');
  }
  // In a session an invalid value leaves the session where it was.
  const { h } = walk(NL, ['Ja', 'Aanbieder']);
  const s = W.value(h, { method: 'direct', value: '3e25e3' });
  assert.equal(s.ok, false);
  assert.equal(s.depth, 2);
  assert.equal(s.question.questionId, '3.0');
  W.close(h);
});

test('estimates: 6·N·D and accelerators × hours × peak × utilisation', () => {
  const p = W.estimate({ method: 'parameters', parameters: '7e10', tokens: '1,5e12' });
  assert.equal(p.flop, 6.3e23);
  assert.equal(p.formula, '6 × 7,0 × 10^10 × 1,5 × 10^12 = 6,3 × 10^23 FLOP');
  assert.equal(p.band, 'above-indicative');
  const a = W.estimate({ method: 'accelerators', count: '25000', hours: '2400', peakFlops: '9.89e14', utilisation: '40%' }, 'en');
  assert.equal(a.ok, true);
  assert.ok(Math.abs(a.flop - 25000 * 2400 * 3600 * 9.89e14 * 0.4) < 1e12);
  assert.match(a.formula, /^25000 × 2400 h × 3600 s\/h × 9\.9 × 10\^14 FLOP\/s × 0\.4 = 8\.5 × 10\^25 FLOP$/);
  assert.equal(a.band, 'above-systemic-risk');
  assert.equal(W.estimate({ method: 'accelerators', count: 1, hours: 1, peakFlops: 1, utilisation: 1.5 }).error.field, 'utilisation');
  assert.equal(W.estimate({ method: 'parameters', parameters: '0', tokens: '1' }).error.field, 'parameters');
  assert.equal(W.estimate({ method: 'parameters', parameters: '1e200', tokens: '1e200' }).error.kind, 'overflow');
  assert.equal(W.estimate({ method: 'parameters', parameters: 'x', tokens: '1' }).error.field, 'parameters');
  // An estimate answers the compute question; the trace shows the figure used.
  const { s } = walk(NL, ['Ja', 'Aanbieder']);
  const h = W.open(NL);
  W.answer(h, 0);
  W.answer(h, 0);
  const r = W.value(h, { method: 'parameters', parameters: '4e11', tokens: '1,5e13' });
  assert.equal(r.question.questionId, '4.0');
  assert.equal(r.compute.formula, '6 × 4,0 × 10^11 × 1,5 × 10^13 = 3,6 × 10^25 FLOP');
  assert.equal(r.history[2].method, 'parameters');
  assert.equal(s.depth, 2);
  W.close(h);
});

test('dates across month ends and leap years', () => {
  const cases = [
    [{ thresholdDate: '2025-12-25' }, 'notificationDeadline', '2026-01-08'],
    [{ thresholdDate: '2025-01-20' }, 'notificationDeadline', '2025-02-03'],
    [{ thresholdDate: '2028-02-20' }, 'notificationDeadline', '2028-03-05'],
    [{ designationDate: '2025-08-31' }, 'earliestReassessment', '2026-02-28'],
    [{ designationDate: '2027-08-31' }, 'earliestReassessment', '2028-02-29'],
    [{ designationDate: '2025-03-31' }, 'earliestReassessment', '2025-09-30'],
    [{ designationDate: '2025-07-15' }, 'earliestReassessment', '2026-01-15'],
  ];
  for (const [input, key, iso] of cases) {
    const r = W.dates(input, 'en');
    assert.equal(r.ok, true, JSON.stringify(input));
    assert.equal(r[key].iso, iso, JSON.stringify(input));
  }
  assert.equal(W.dates({ designationDate: '2025-08-31' }, 'nl').earliestReassessment.text, '28 februari 2026');
  const bad = W.dates({ thresholdDate: '2025-02-29', designationDate: '31-08-2025' }, 'en');
  assert.equal(bad.ok, false);
  assert.equal(bad.errors.thresholdDate.message, 'That day does not exist in this month.');
  assert.match(bad.errors.designationDate.message, /YYYY-MM-DD/);
  assert.equal(W.dates({ designationDate: '9999-10-01' }).errors.designationDate.kind, 'out-of-range');
  // The reassessment date in a designated session.
  const { h } = walk(NL, ['Ja', 'Aanbieder', { value: '5e24' }, 'Nee', 'Ja']);
  const r = W.sessionAssess(h, { designationDate: '2025-08-31' });
  assert.equal(r.assessment.classification, 'systemic-risk-designated');
  assert.equal(r.assessment.earliestReassessment.iso, '2026-02-28');
  W.close(h);
});

test('back, restart and the Annex XIII checklist', () => {
  const h = W.open(NL);
  assert.equal(W.back(h).error.kind, 'nothing-to-undo');
  W.answer(h, 0);
  W.answer(h, 0);
  W.value(h, '1e24');
  let s = W.back(h);
  assert.equal(s.question.questionId, '3.0');
  assert.equal(s.compute, null);
  s = W.restart(h);
  assert.equal(s.depth, 0);
  assert.equal(s.question.questionId, '1.0');
  W.close(h);
  // "10 000 or more business users": (f) is a reason; a lower count contradicts it.
  const m = walk(NL, ['Ja', 'Aanbieder', { value: '1e24' }, 'Nee', 'Nee', 'Ja']);
  assert.deepEqual(m.s.assessment.reasons.map((r) => r.criterion), ['market-reach']);
  assert.equal(W.sessionAssess(m.h, { annexXiii: { registeredBusinessUsers: 9999 } }).agrees, false);
  assert.equal(W.sessionAssess(m.h, { annexXiii: { registeredBusinessUsers: 10000 } }).agrees, true);
  const o = walk(NL, ['Ja', 'Aanbieder', { value: '1e24' }, 'Nee', 'Nee', 'Nee', 'Ja']);
  assert.equal(o.s.assessment.mayBeDesignated, true);
  const r = W.sessionAssess(o.h, { annexXiii: { parameters: true, benchmarks: true } });
  assert.deepEqual(r.assessment.reasons.map((x) => x.criterion), ['parameters', 'benchmarks']);
  assert.equal(r.agrees, true);
});

test('garbage in, no trap', () => {
  const junk = [
    '',
    'null',
    '{',
    '[]',
    '{"questions":[]}',
    '{"questions":[{"questionId":1}]}',
    '"\\ud800"',
    '[[[[[[[[[[',
    '['.repeat(50_000),
    '1e99999',
    '{"method":"accelerators","count":{"x":1}}',
    '{"thresholdDate":7}',
    '{"generalPurpose":"yes"}',
    '\u0000\u0001\u0002',
    'x'.repeat(100_000),
  ];
  const bytes = [new Uint8Array([0xff, 0xfe, 0xc3]), new Uint8Array([0xe2, 0x82]), new Uint8Array(0)];
  for (const j of [...junk, ...bytes]) {
    assert.equal(call(ex.classify_session_open, [], [j, 'nl']), 0);
    for (const fn of [ex.classify_estimate, ex.classify_assess, ex.classify_dates]) {
      const r = take(call(fn, [], [j, 'xx']));
      assert.equal(typeof r, 'object');
    }
  }
  // A tree whose targets dangle: errors, not traps.
  const broken = { questions: [{ questionId: '1', question: 'Q', answers: [{ answer: 'A', nextQuestionId: 'nope' }, { answer: 'B' }] }], conclusions: [] };
  const h = W.open(broken);
  assert.ok(h > 0);
  assert.equal(W.answer(h, 0).error.kind, 'tree');
  assert.equal(W.answer(h, 1).error.kind, 'tree');
  assert.equal(W.answer(h, 2 ** 32 - 1).error.kind, 'no-such-answer');
  assert.equal(W.value(h, '3e25').error.kind, 'not-numeric');
  assert.equal(W.sessionAssess(h, '{').error.kind, 'not-finished');
  W.close(h);
  W.close(h);
  for (const bad of [0, h, 12345, 2 ** 32 - 1]) {
    assert.equal(W.state(bad).error.kind, 'handle');
    assert.equal(W.answer(bad, 0).error.kind, 'handle');
    assert.equal(W.value(bad, '1').error.kind, 'handle');
    assert.equal(W.back(bad).error.kind, 'handle');
    assert.equal(W.restart(bad).error.kind, 'handle');
    assert.equal(W.sessionAssess(bad, '{}').error.kind, 'handle');
    ex.classify_session_close(bad);
  }
  // Many sessions open and close; handles are reused and the module still works.
  const hs = Array.from({ length: 200 }, () => W.open(NL));
  assert.ok(hs.every((x) => x > 0));
  for (const x of hs) W.close(x);
  const { s } = walk(NL, ['Ja', 'Aanbieder', { value: '3e25' }, 'Nee']);
  assert.equal(s.assessment.classification, 'systemic-risk-presumed');
});

test('unsafe tree HTML and URLs are cleaned by the module', () => {
  const tree = {
    questions: [
      {
        questionId: '1',
        question: '<script>alert(1)</script><b>Q</b>',
        explanation: '<a href="javascript:alert(1)" onclick="x()">link</a>',
        sources: [{ source: 's', url: 'javascript:alert(1)' }, { source: 't', url: 'https://eur-lex.europa.eu/' }],
        answers: [{ answer: '<img src=x onerror=alert(1)>', nextConclusionId: 'c' }],
      },
    ],
    conclusions: [{ conclusionId: 'c', conclusion: '<iframe src=x></iframe>ok', obligation: '<p>o</p>' }],
  };
  const h = W.open(tree);
  const s = W.state(h);
  assert.equal(s.question.question, '&lt;script&gt;alert(1)&lt;/script&gt;<b>Q</b>');
  assert.equal(s.question.explanation, '<a rel="noopener">link</a>');
  assert.equal(s.question.answers[0].answer, '&lt;img src=x onerror=alert(1)&gt;');
  assert.deepEqual(s.question.sources.map((x) => x.url), [null, 'https://eur-lex.europa.eu/']);
  const c = W.answer(h, 0);
  assert.equal(c.conclusion.conclusion, '&lt;iframe src=x&gt;&lt;/iframe&gt;ok');
  W.close(h);
});
