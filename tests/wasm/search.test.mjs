// The search module (static/kader-search.wasm) in node, through its raw ABI
// (crates/wasm/src/search.rs), over a real index:
//
//   node --test tests/wasm/
//
// The index is the built site's (KADER_SITE=DIR: DIR/search/nl/ and
// DIR/search/en/ of `kader build --out DIR`) or, without KADER_SITE, one
// written from content/ by `cargo run -p kader-wasm --example search_index`.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WASM = path.join(REPO, 'static/kader-search.wasm');

let indexDir; // folder holding nl/ and en/
let x; // the module's exports

before(async () => {
  if (process.env.KADER_SITE) {
    indexDir = path.join(process.env.KADER_SITE, 'search');
    assert.ok(fs.existsSync(path.join(indexDir, 'nl/meta.bin')), `${indexDir}/nl/meta.bin missing`);
  } else {
    indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-search-test-'));
    execFileSync('cargo', ['run', '-q', '-p', 'kader-wasm', '--example', 'search_index', '--', 'content', indexDir, '/'], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(WASM), {});
  x = instance.exports;
});

// ------------------------------------------------------------------ helpers

const enc = new TextEncoder();
const dec = new TextDecoder();

function withBytes(bytes, fn) {
  const ptr = x.kader_alloc(bytes.length);
  new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
  try {
    return fn(ptr, bytes.length);
  } finally {
    x.kader_free(ptr, bytes.length);
  }
}
const withText = (s, fn) => withBytes(enc.encode(s), fn);

function take(packed) {
  const big = BigInt.asUintN(64, packed);
  const ptr = Number(big >> 32n);
  const len = Number(big & 0xffffffffn);
  const s = dec.decode(new Uint8Array(x.memory.buffer, ptr, len).slice());
  x.kader_free(ptr, len);
  return JSON.parse(s);
}

const file = (lang, name) => fs.readFileSync(path.join(indexDir, lang, name));

function open(lang = 'nl') {
  const h = withBytes(file(lang, 'meta.bin'), (p, n) => x.search_open(p, n));
  assert.ok(h > 0, `search_open(${lang}/meta.bin) gave ${h}`);
  return h;
}

/** The whole protocol for one query; returns { results, chunks, fragments }. */
function search(h, q, lang = 'nl', limit = 10) {
  // Chunks in rounds: a query word the index does not know is split into
  // index words once the chunks around it are loaded, which may name more.
  const chunks = [];
  for (let round = 0; round < 8; round++) {
    const more = take(withText(q, (p, n) => x.search_chunks_needed(h, p, n)));
    if (!more.length) break;
    for (const c of more) {
      const st = withText(c, (np, nl) => withBytes(file(lang, c), (dp, dl) => x.search_add_chunk(h, np, nl, dp, dl)));
      assert.equal(st, 0, `search_add_chunk(${c})`);
      chunks.push(c);
    }
  }
  const run = take(withText(q, (p, n) => x.search_run(h, p, n, limit)));
  for (const f of run.fragments) {
    const st = withText(f, (np, nl) => withBytes(file(lang, f), (dp, dl) => x.search_add_fragment(h, np, nl, dp, dl)));
    assert.equal(st, 0, `search_add_fragment(${f})`);
  }
  const results = take(x.search_results(h));
  assert.equal(results.length, run.count, 'every hit has a result once its fragment is added');
  return { results, chunks, fragments: run.fragments };
}

const paths = (rs) => rs.map((r) => new URL(r.url, 'http://x').pathname + new URL(r.url, 'http://x').hash);
const marks = (s, ranges) => ranges.map(([a, b]) => s.slice(a, b));

// ------------------------------------------------------------------ tests

test('exports the documented ABI', () => {
  for (const f of ['memory', 'kader_alloc', 'kader_free', 'search_open', 'search_close', 'search_info', 'search_chunks_needed',
    'search_add_chunk', 'search_run', 'search_add_fragment', 'search_results']) {
    assert.ok(f in x, `missing export ${f}`);
  }
  assert.equal(WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(WASM))).length, 0, 'the module needs no imports');
});

test('systeemrisico finds the definition and the systemic-risk requirements', () => {
  const h = open();
  try {
    const info = take(x.search_info(h));
    assert.equal(info.lang, 'nl');
    assert.ok(info.pages > 20, `only ${info.pages} pages`);
    const { results, chunks } = search(h, 'systeemrisico');
    assert.ok(chunks.length >= 1 && chunks.length <= 3, `chunks fetched: ${chunks}`);
    const p = paths(results);
    assert.ok(results.length >= 3, `results: ${p}`);
    // (Its rank depends on the index: pages rank as wholes, and the page of
    // definitions holds many terms.)
    assert.ok(p.some((u) => u.endsWith('/ai-verordening/a3/#^sysrisk')), `the definition is not among the results: ${p.join(' ')}`);
    const reqs = p.filter((u) => /\/vereisten\/aia-gpai-[^/]*\//.test(u));
    assert.ok(reqs.length >= 2, `systemic-risk requirements missing: ${p.join(' ')}`);
    assert.ok(p.some((u) => u.includes('/vereisten/aia-gpai-modelevaluatie-systeemrisico/')), p.join(' '));
    for (const r of results) {
      assert.ok(r.title, 'a title');
      assert.equal(typeof r.section, 'string');
      assert.ok(r.highlights.length + r.titleHighlights.length > 0, `nothing highlighted in ${r.url}`);
      for (const w of marks(r.snippet, r.highlights).concat(marks(r.title, r.titleHighlights))) {
        assert.match(w.toLowerCase(), /risico/, `highlighted "${w}" in ${r.url}`);
      }
    }
    // Loaded once: the same query needs nothing more.
    assert.deepEqual(take(withText('systeemrisico', (pp, n) => x.search_chunks_needed(h, pp, n))), []);
  } finally {
    x.search_close(h);
  }
});

test('a typo (systeemrisco) and a curly apostrophe (risico’s) still find the pages', () => {
  const h = open();
  try {
    const typo = paths(search(h, 'systeemrisco').results);
    assert.ok(typo.some((u) => u.endsWith('#^sysrisk')), `typo: ${typo.join(' ')}`);
    assert.ok(typo.some((u) => u.includes('/vereisten/aia-gpai-modelevaluatie-systeemrisico/')), typo.join(' '));
    const apos = search(h, 'risico’s').results;
    assert.ok(apos.length >= 3, paths(apos).join(' '));
    const straight = search(h, "risico's").results;
    assert.deepEqual(paths(apos), paths(straight), 'curly and straight apostrophes give the same results');
  } finally {
    x.search_close(h);
  }
});

test('highlights are UTF-16 ranges of the matched words', () => {
  const h = open();
  try {
    // "geëvalueerd" has an ë (1 UTF-16 unit, 2 UTF-8 bytes) and the
    // snippets have ’ (1 unit, 3 bytes) before many matches.
    for (const q of ['geëvalueerd', 'systeemrisico’s', 'één', 'AI-verordening']) {
      const { results } = search(h, q);
      assert.ok(results.length > 0, `no results for ${q}`);
      for (const r of results) {
        for (const [s, rs] of [[r.snippet, r.highlights], [r.title, r.titleHighlights]]) {
          let prev = 0;
          for (const [a, b] of rs) {
            assert.ok(Number.isInteger(a) && Number.isInteger(b) && prev <= a && a < b && b <= s.length, `bad range [${a},${b}] in ${JSON.stringify(s)}`);
            // A range is a whole word: letters at both ends, none just outside.
            const w = s.slice(a, b);
            assert.match(w, /^[\p{L}\p{N}]/u, `range [${a},${b}] = ${JSON.stringify(w)} in ${JSON.stringify(s)} (${q})`);
            assert.ok(!/[\p{L}\p{N}]/u.test(s[a - 1] || ' ') && !/[\p{L}\p{N}]/u.test(s[b] || ' '), `range [${a},${b}] = ${JSON.stringify(w)} cuts a word in ${JSON.stringify(s)}`);
            prev = b;
          }
        }
      }
      if (q === 'geëvalueerd') {
        const all = results.flatMap((r) => marks(r.snippet, r.highlights).concat(marks(r.title, r.titleHighlights)));
        assert.ok(all.some((w) => w === 'geëvalueerd'), `no "geëvalueerd" highlighted: ${JSON.stringify(all)}`);
      }
    }
  } finally {
    x.search_close(h);
  }
});

test('the English index searches English pages', () => {
  const h = open('en');
  try {
    assert.equal(take(x.search_info(h)).lang, 'en');
    const { results } = search(h, 'systemic risk', 'en');
    const p = paths(results);
    assert.ok(p.length > 0 && p.every((u) => u.includes('/en/')), p.join(' '));
    assert.ok(p.some((u) => u.endsWith('/en/ai-verordening/a3/#^sysrisk')), p.join(' '));
  } finally {
    x.search_close(h);
  }
});

test('garbage input and corrupt bytes do not trap', () => {
  const meta = file('nl', 'meta.bin');
  assert.equal(withBytes(new Uint8Array(0), (p, n) => x.search_open(p, n)), 0);
  assert.equal(withBytes(enc.encode('KSM1 not really'), (p, n) => x.search_open(p, n)), 0);
  assert.equal(withBytes(meta.subarray(0, meta.length - 3), (p, n) => x.search_open(p, n)), 0);
  for (const h of [0, 7, 12345, 0xffffffff]) {
    assert.deepEqual(take(withText('risico', (p, n) => x.search_chunks_needed(h, p, n))), []);
    assert.deepEqual(take(withText('risico', (p, n) => x.search_run(h, p, n, 10))), { fragments: [], count: 0 });
    assert.deepEqual(take(x.search_results(h)), []);
    assert.equal(take(x.search_info(h)), null);
    assert.equal(withText('a', (np, nl) => x.search_add_chunk(h, np, nl, 0, 0)), -1);
    x.search_close(h);
  }
  const h = open();
  try {
    const [chunk] = take(withText('systeemrisico', (p, n) => x.search_chunks_needed(h, p, n)));
    const good = file('nl', chunk);
    const add = (name, bytes) => withText(name, (np, nl) => withBytes(bytes, (dp, dl) => x.search_add_chunk(h, np, nl, dp, dl)));
    // Truncated, bit-flipped, empty, random, under another name.
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    assert.equal(add(chunk, good.subarray(0, good.length >> 1)), -2);
    assert.equal(add(chunk, new Uint8Array(0)), -2);
    assert.equal(add(chunk, Uint8Array.from({ length: 4096 }, rnd)), -2);
    assert.equal(add('chunk-000000000000-0.bin', good), -2);
    for (let i = 0; i < 200; i++) {
      const bad = Uint8Array.from(good);
      bad[4 + (rnd() * 256 + rnd()) % (bad.length - 4)] ^= 1 << (rnd() & 7);
      const st = add(chunk, bad);
      assert.ok(st === 0 || st === -2, `status ${st}`);
    }
    // Fragments: garbage and a fragment under the wrong name.
    const frags = fs.readdirSync(path.join(indexDir, 'nl')).filter((f) => f.startsWith('frag-')).slice(0, 2);
    const addF = (name, bytes) => withText(name, (np, nl) => withBytes(bytes, (dp, dl) => x.search_add_fragment(h, np, nl, dp, dl)));
    assert.equal(addF(frags[1], file('nl', frags[0])), -2);
    assert.equal(addF(frags[0], Uint8Array.from({ length: 100 }, rnd)), -2);
    // Queries: empty, punctuation, control characters, lone surrogates
    // (encoded as U+FFFD), invalid UTF-8, very long.
    for (const q of ['', '   ', '\u0000\u0001"\\', "'s", '-', '—', '\ud800', 'a'.repeat(20000), 'systeemrisico '.repeat(200), '𝄞😀', '%', '\u0301']) {
      search(h, q);
    }
    const bad = Uint8Array.from([0xff, 0xfe, 0xc3]);
    assert.deepEqual(take(withBytes(bad, (p, n) => x.search_run(h, p, n, 10))), { fragments: [], count: 0 });
    for (const limit of [0, 1, 1000, 0xffffffff]) {
      const r = take(withText('risico', (p, n) => x.search_run(h, p, n, limit)));
      assert.ok(r.count <= 50, `limit ${limit}: ${r.count}`);
    }
    // Still usable afterwards.
    assert.ok(search(h, 'systeemrisico').results.length > 0);
  } finally {
    x.search_close(h);
  }
});

test('memory stays bounded over many queries', () => {
  const h = open();
  try {
    search(h, 'risico');
    const before = x.memory.buffer.byteLength;
    for (let i = 0; i < 300; i++) search(h, ['risico', 'systeemrisico', 'algoritme', 'gegevens'][i % 4]);
    assert.ok(x.memory.buffer.byteLength <= before + 1024 * 1024, `memory grew from ${before} to ${x.memory.buffer.byteLength}`);
  } finally {
    x.search_close(h);
  }
});
