// Benchmark, not a test (run.sh's default set is *.test.mjs; run it with
// scripts/bench-classifier): the time from the classifier page's load event
// to its first rendered question and to the working widget, over fresh loads
// in Debian's Chromium. Prints every sample, the medians and the budget
// verdict, and writes tests/browser/out/classifier-timing.json.

import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { launch } from '../lib/browser.mjs';
import { serveBuild, OUT_DIR, ensureDir } from '../lib/site.mjs';
import { classifierLoad, CLASSIFIER_PAGE, FIRST_QUESTION_BUDGET_MS } from '../lib/timing.mjs';

const LOADS = Number(process.env.KADER_BENCH_LOADS || 7);

let browser, site;
before(async () => {
  site = await serveBuild('root');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

test('classifier: time from load to the first rendered question', { timeout: 600_000 }, async (t) => {
  const samples = [];
  for (let i = 0; i < LOADS; i++) samples.push(await classifierLoad(browser, site.at(CLASSIFIER_PAGE)));
  // The first load warms the browser's caches like any first visit would not;
  // report every sample and take the median of the rest.
  const rest = samples.slice(1);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const firstQ = median(rest.map((s) => Math.max(0, s.firstQuestion)));
  const inter = median(rest.map((s) => Math.max(0, s.interactive)));
  const report = {
    firstQuestionAfterLoadMs: rest.map((s) => Math.round(s.firstQuestion)),
    interactiveAfterLoadMs: rest.map((s) => Math.round(s.interactive)),
    medianFirstQuestionMs: Math.round(firstQ),
    medianInteractiveMs: Math.round(inter),
    budgetFirstQuestionMs: FIRST_QUESTION_BUDGET_MS,
  };
  fs.writeFileSync(path.join(ensureDir(OUT_DIR), 'classifier-timing.json'), JSON.stringify(report, null, 2));
  const verdict = firstQ <= FIRST_QUESTION_BUDGET_MS ? 'ok' : 'OVER';
  for (const line of [
    `first question after load (ms): ${report.firstQuestionAfterLoadMs.join(', ')}; median ${report.medianFirstQuestionMs} (budget ${FIRST_QUESTION_BUDGET_MS} ms: ${verdict})`,
    `wasm ready after load (ms): ${report.interactiveAfterLoadMs.join(', ')}; median ${report.medianInteractiveMs}`,
  ]) {
    t.diagnostic(line);
    console.log(line);
  }
});
