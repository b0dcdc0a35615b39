// Exercises static/kader-classify.wasm (crates/wasm/src/classify.rs) in node,
// through the same raw ABI the widget uses.
//
//   node --test tests/wasm/
//
// The trees and the walks the checker enumerates come from kader-classify
// itself: `cargo run -p kader-classify --example walks` prints them as JSON,
// and every walk is replayed through the module.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WASM = path.join(REPO, 'static/kader-classify.wasm');

// ------------------------------------------------------------ the module

const { instance } = await WebAssembly.instantiate(fs.readFileSync(WASM), {});
const ex = instance.exports;
const enc = new TextEncoder();
const dec = new TextDecoder();

function put(s) {
  const b = enc.encode(s);
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
function call(fn, before, input) {
  const [p, n] = put(typeof input === 'string' ? input : JSON.stringify(input));
  try {
    return fn(...before, p, n);
  } finally {
    ex.kader_free(p, n);
  }
}
const W = {
  open: (bundle) => call(ex.classify_open, [], bundle),
  close: (h) => ex.classify_close(h),
  state: (h) => take(ex.classify_state(h)),
  answer: (h, i) => take(ex.classify_answer(h, i)),
  value: (h, input) => take(call(ex.classify_answer_value, [h], input)),
  back: (h) => take(ex.classify_back(h)),
  jump: (h, n) => take(ex.classify_jump(h, n)),
  restore: (h, steps) => take(call(ex.classify_restore, [h], steps)),
  restart: (h) => take(ex.classify_restart(h)),
  estimate: (h, input) => take(call(ex.classify_estimate, [h], input)),
  applicable: (input) => take(call(ex.classify_applicable, [], input)),
};

// ------------------------------------------------------------ the trees

function walks(...files) {
  const out = execFileSync(
    'cargo',
    ['run', '--quiet', '-p', 'kader-classify', '--example', 'walks', '--', ...files.map((f) => path.join(REPO, f))],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  return JSON.parse(out);
}

const FIXTURE = 'crates/classify/tests/fixtures/beslishulp';
const TREES = {
  gpai: walks('content/beslisbomen/gpai.yaml'),
  gpaiEn: walks('content/beslisbomen/gpai.en.yaml'),
  fixture: walks(`${FIXTURE}/decision-tree.yaml`, `${FIXTURE}/categories.yaml`, `${FIXTURE}/definitions.yaml`),
};
const LABEL_MAP = {
  groups: { 'Soort toepassing': 'soort-toepassing', Risicogroep: 'risicogroep', Verantwoordelijkheid: 'rol-ai-act' },
  labels: {
    'AI-systeem': 'ai-systeem',
    'hoog-risico AI': 'hoog-risico-ai-systeem',
    'geen hoog-risico AI': 'geen-hoog-risico-ai-systeem',
    'verboden AI': 'verboden-ai',
    aanbieder: 'aanbieder',
    gebruiksverantwoordelijke: 'gebruiksverantwoordelijke',
    importeur: 'importeur',
  },
  ignore: ['uitzondering van toepassing'],
};

function openTree(name, extra = {}) {
  const h = W.open({ ...TREES[name].bundle, lang: 'nl', ...extra });
  assert.ok(h > 0, `${name} opens`);
  return h;
}

// ------------------------------------------------------------ tests

test('the checker reports the trees cleanly and counts their walks', () => {
  for (const [name, t] of Object.entries(TREES)) {
    assert.ok(t.complete, name);
    assert.equal(t.walks.length, t.summary.walks, name);
    assert.ok(t.problems.every((p) => p.severity === 'warning'), `${name}: ${JSON.stringify(t.problems)}`);
  }
  assert.deepEqual(TREES.gpai.problems, []);
  assert.equal(TREES.fixture.summary.walks, 45);
  assert.equal(TREES.fixture.summary.redirectsNeverTaken, 1);
});

test('every enumerated walk, replayed through the module, ends at its conclusion', () => {
  for (const name of Object.keys(TREES)) {
    const h = openTree(name);
    for (const walk of TREES[name].walks) {
      let r = W.restart(h);
      for (const [i, step] of walk.steps.entries()) {
        assert.equal(r.state.at, 'question');
        assert.equal(r.state.question.questionId, step.questionId, `${name} step ${i}`);
        r = W.answer(h, step.answer);
        assert.ok(r.ok, `${name}: ${JSON.stringify(r.error)}`);
      }
      assert.equal(r.state.at, 'conclusion');
      assert.equal(r.state.conclusion.conclusionId, walk.conclusionId, name);
      assert.equal(r.state.history.length, walk.steps.length);
      assert.ok(r.state.groups.every((g) => g.status !== 'to-be-determined'), 'no group is open at a conclusion');
      // The steps restore the same walk in a fresh session (state in the URL).
      const h2 = openTree(name);
      const back = W.restore(h2, r.state.steps);
      assert.ok(back.ok);
      assert.equal(back.state.conclusion.conclusionId, walk.conclusionId);
      W.close(h2);
    }
    W.close(h);
  }
});

test('categories, groups, definitions and the profile of the government-shaped tree', () => {
  const h = openTree('fixture', { labelMap: LABEL_MAP });
  let s = W.state(h).state;
  assert.deepEqual(
    s.progress.map((c) => [c.name, c.status]),
    [['Reikwijdte', 'current'], ['Rol', 'todo'], ['Risico', 'todo'], ['Transparantie', 'todo']],
  );
  assert.ok(s.groups.every((g) => g.status === 'to-be-determined' && g.text === 'nader te bepalen'));
  // Defined terms: UTF-16 offsets into the question text.
  const q = s.question;
  assert.deepEqual(
    q.terms.map((t) => [t.term, q.question.slice(t.start, t.end)]),
    [['algoritme', 'algoritme'], ['AI-systeem', 'AI-systeem']],
  );
  assert.equal(q.description, '<p>Denk aan software die voorspelt, aanbeveelt of beslist.</p>');
  s = W.answer(h, 0).state; // AI-systeem
  s = W.answer(h, 1).state; // gebruiksverantwoordelijke
  assert.deepEqual(s.progress.map((c) => c.status), ['done', 'done', 'current', 'todo']);
  assert.equal(s.history[0].subresult, 'Het gaat om een AI-systeem.');
  s = W.restore(h, [0, 1, 1, 0, 1, 1, 0]).state;
  assert.equal(s.conclusion.conclusionId, 'c-hoog-risico');
  const group = (name) => s.groups.find((g) => g.subcategory === name);
  assert.deepEqual(group('Risicogroep').labels, ['hoog-risico AI']);
  assert.equal(group('Conformiteitsbeoordelingsinstantie').text, 'niet van toepassing');
  assert.deepEqual(s.profile.terms, {
    'rol-ai-act': ['gebruiksverantwoordelijke'],
    risicogroep: ['hoog-risico-ai-systeem'],
    'soort-toepassing': ['ai-systeem'],
  });
  assert.deepEqual(s.profile.unmapped, [{ subcategory: 'Transparantieverplichting', label: 'transparantieverplichting' }]);
  // Change an earlier answer: back to step 1, its labels gone.
  s = W.jump(h, 1).state;
  assert.equal(s.question.questionId, '1.1');
  assert.deepEqual(s.labels, ['AI-systeem']);
  assert.equal(s.profile.terms['rol-ai-act'], undefined);
  W.close(h);
});

test('compute questions: the boundary, the estimator and its errors', () => {
  const h = openTree('gpai');
  W.answer(h, 0);
  W.answer(h, 0);
  let r = W.value(h, { value: '10^25' });
  assert.ok(r.ok);
  assert.deepEqual(r.state.history[2].labels, [], 'exactly 10^25 is not more than 10^25');
  assert.equal(r.state.history[2].valueText, '1,0 × 10^25 FLOP');
  W.back(h);
  r = W.estimate(h, { method: 'parameters', parameters: '1e12', tokens: '2e12' });
  assert.ok(r.ok);
  assert.equal(r.estimate.formula, '6 × 1,0 × 10^12 × 2,0 × 10^12 = 1,2 × 10^25 FLOP');
  assert.equal(r.estimate.answer, 2);
  r = W.value(h, { method: 'parameters', parameters: '1e12', tokens: '2e12' });
  assert.deepEqual(r.state.history[2].labels, ['systeemrisico']);
  assert.equal(r.state.history[2].formula, '6 × 1,0 × 10^12 × 2,0 × 10^12 = 1,2 × 10^25 FLOP');
  assert.deepEqual(r.state.steps, [0, 0, { value: 1.2e25 }]);
  W.back(h);
  r = W.value(h, { method: 'accelerators', count: '25000', hours: '2400', peakFlops: '9,89e14', utilisation: '140%' });
  assert.equal(r.ok, false);
  assert.equal(r.error.field, 'utilisation');
  assert.equal(r.state.question.questionId, '3.0', 'the session is unchanged');
  r = W.value(h, { value: 'veel' });
  assert.equal(r.error.kind, 'unexpected-character');
  r = W.value(h, { value: '-5' });
  assert.equal(r.error.kind, 'negative');
  W.close(h);
});

test('restore reports the first step that does not fit; garbage never traps', () => {
  const h = openTree('gpai');
  let r = W.restore(h, [0, 0, { value: 3e25 }, 7, 0]);
  assert.equal(r.ok, false);
  assert.equal(r.error.step, 3);
  assert.equal(r.error.kind, 'no-such-answer');
  assert.equal(r.state.history.length, 3);
  r = W.restore(h, 'nonsense');
  assert.equal(r.error.kind, 'json');
  assert.equal(W.open('{'), 0);
  assert.equal(W.open({ tree: { questions: [] } }), 0);
  assert.equal(W.state(9999).error.kind, 'handle');
  assert.equal(W.answer(h, 4_000_000_000).ok, false);
  assert.equal(W.jump(h, 99).error.kind, 'no-such-step');
  assert.equal(W.back(W.open({ tree: TREES.gpai.bundle.tree })).error.kind, 'nothing-to-undo');
  for (const junk of ['', '[]', '{"method":7}', '\u0000', '{"value":{}}']) {
    assert.equal(typeof W.value(h, junk).ok, 'boolean');
    assert.equal(typeof W.estimate(h, junk).ok, 'boolean');
  }
  W.close(h);
  W.close(h);
});

test('tree texts and source URLs are cleaned by the module', () => {
  const h = W.open({
    lang: 'en',
    tree: {
      questions: [
        {
          questionId: '1',
          question: 'Hi <script>alert(1)</script><b onclick="x()">there</b>',
          sources: [
            { source: 'bad', url: 'javascript:alert(1)' },
            { source: 'good', url: 'https://example.org/' },
          ],
          answers: [{ answer: '<img src=x onerror=alert(1)>Yes', nextConclusionId: 'c' }],
        },
      ],
      conclusions: [{ conclusionId: 'c', conclusion: '<a href="javascript:x">c</a>', obligation: '' }],
    },
  });
  let s = W.state(h).state;
  assert.equal(s.question.question, 'Hi &lt;script&gt;alert(1)&lt;/script&gt;<b>there</b>');
  assert.deepEqual(s.question.sources.map((x) => x.url), [null, 'https://example.org/']);
  assert.equal(s.question.answers[0].answer, '&lt;img src=x onerror=alert(1)&gt;Yes');
  s = W.answer(h, 0).state;
  assert.equal(s.conclusion.conclusion, '<a rel="noopener">c</a>');
  assert.equal(s.lang, 'en');
});

test('applicability of pages to a profile, with exceptions', () => {
  const r = W.applicable({
    profile: { terms: { risicogroep: ['hoog-risico-ai-systeem'], 'open-source': ['niet-van-toepassing'] } },
    pages: [
      { slug: 'hoog', terms: { risicogroep: ['hoog-risico-ai-systeem'] } },
      { slug: 'verboden', terms: { risicogroep: ['verboden-ai'] } },
      { slug: 'open', terms: { 'open-source': ['open-source'] } },
      { slug: 'alles' },
      { slug: 'uitgezonderd', terms: {}, uitzondering: ['"risicogroep-hoog-risico-ai-systeem" && !open-source-open-source'] },
    ],
  });
  assert.ok(r.ok);
  assert.deepEqual(
    r.results.map((x) => [x.slug, x.applies]),
    [['hoog', true], ['verboden', false], ['open', true], ['alles', true], ['uitgezonderd', false]],
  );
  assert.equal(r.results[4].exception.index, 0);
});
