// How soon the GPAI classifier works after its page's load event, from the
// performance marks static/kader-classify.js sets (`kader-classify:first-question`,
// `kader-classify:interactive`). classifier.test.mjs checks that the marks are
// there; the figures are bench/classifier.bench.mjs's (scripts/bench-classifier).

import { openPage } from './browser.mjs';

export const CLASSIFIER_PAGE = 'ai-verordening/gpai-classificatie/';

// The aim: first question shown at most this long after the load event. The
// benchmark reports against it; no test asserts it.
export const FIRST_QUESTION_BUDGET_MS = 100;

/**
 * One fresh load of the classifier page at `url`: milliseconds from the load
 * event to the first rendered question and to the working (wasm) widget
 * (NaN where a mark is missing). Asserts the page loaded clean.
 */
export async function classifierLoad(browser, url) {
  const p = await openPage(browser, url, { fresh: true });
  try {
    await p.page.waitForSelector('[data-classifier-interactive]', { timeout: 10_000 });
    const sample = await p.page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
      return {
        load: nav.loadEventStart,
        firstQuestion: at('kader-classify:first-question') - nav.loadEventStart,
        interactive: at('kader-classify:interactive') - nav.loadEventStart,
      };
    });
    p.assertClean();
    return sample;
  } finally {
    await p.close();
  }
}
