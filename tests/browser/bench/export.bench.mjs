// Benchmark, not a test (run.sh's default set is *.test.mjs; run it with
// scripts/bench-export): the time from a click on the "Exporteer" menu's
// XLSX or ODS button to the finished file (the menu's data-export-ms), for
// the whole overviews of the algoritmekader corpus (every row shown) in
// Debian's Chromium. Prints every sample and the medians against the
// 300 ms budget; writes tests/browser/out/export-timing.json.

import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { launch, openPage } from '../lib/browser.mjs';
import { OUT_DIR, ensureDir } from '../lib/site.mjs';
import { serveCorpus } from '../lib/corpus.mjs';

const BUDGET_MS = 300;
const RUNS = Number(process.env.KADER_BENCH_RUNS || 4);
const OVERVIEWS = ['vereisten', 'maatregelen', 'hulpmiddelen'].map((c) => `voldoen-aan-wetten-en-regels/${c}/`);
const MENU = '.list details[data-export]';
// The corpus's inline styles are refused by the CSP (they become classes).
const CORPUS_ALLOW = [/Applying inline style violates/, /CSP violation: style-src-attr blocked inline /];

let browser, corpus;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await corpus?.close();
});

/** One export through the menu: its data-export-ms once the file is made. */
async function exportOnce(page, format) {
  await page.evaluate((menu) => delete document.querySelector(menu).dataset.exportMs, MENU);
  await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.locator(`${MENU} button[data-format="${format}"]`).click(),
  ]);
  await page.waitForFunction((menu) => document.querySelector(menu).dataset.exportMs, MENU);
  return Number(await page.$eval(MENU, (m) => m.dataset.exportMs));
}

test('export of the corpus overviews in the browser', { timeout: 600_000 }, async (t) => {
  corpus = await serveCorpus(t);
  if (!corpus) return;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const report = [];
  for (const overview of OVERVIEWS) {
    // A page of its own per format: Chromium stops a page's downloads after
    // a few in a row.
    for (const format of ['xlsx', 'ods']) {
      const s = await openPage(browser, corpus.at(overview), { fresh: true, allow: CORPUS_ALLOW });
      const { page } = s;
      const rows = await page.$$eval('tbody tr[data-key]', (rs) => rs.filter((r) => !r.hidden).length);
      await page.click(`${MENU} > summary`);
      await page.waitForSelector(`${MENU}[data-export-ready]`);
      // The first export loads and compiles the module; it is reported apart.
      const first = await exportOnce(page, format);
      const samples = [];
      for (let i = 0; i < RUNS; i++) samples.push(await exportOnce(page, format));
      const m = median(samples);
      report.push({ overview, rows, format, firstMs: first, samplesMs: samples, medianMs: m });
      const line = `${overview} (${rows} rows) ${format}: first ${first} ms, then ${samples.join(', ')} ms; median ${m} ms (budget ${BUDGET_MS} ms: ${m <= BUDGET_MS ? 'ok' : 'OVER'})`;
      t.diagnostic(line);
      console.log(line);
      await s.close();
    }
  }
  fs.writeFileSync(path.join(ensureDir(OUT_DIR), 'export-timing.json'), JSON.stringify(report, null, 2));
});
