// How soon the decision aid works after its page's load event, from the
// performance mark static/kader-classify.js sets when its first question is
// shown and can be answered (`kader-classify:interactive`). classifier.test.mjs
// checks that the mark is there; the figures are bench/classifier.bench.mjs's
// (scripts/bench-classifier).

import { openPage } from './browser.mjs';

export const CLASSIFIER_PAGE = 'ai-verordening/gpai-classificatie/';

// The aim: the widget works at most this long after the load event. The
// benchmark reports against it; no test asserts it.
export const INTERACTIVE_BUDGET_MS = 100;

/**
 * One fresh load of the decision-aid page at `url`: milliseconds from the
 * load event to the working widget (NaN when the mark is missing). Asserts
 * the page loaded clean.
 */
export async function classifierLoad(browser, url) {
  const p = await openPage(browser, url, { fresh: true });
  try {
    await p.page.waitForSelector('.kader-decide[data-kader-decide-ready]', { timeout: 10_000 });
    const sample = await p.page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
      return {
        load: nav.loadEventStart,
        interactive: at('kader-classify:interactive') - nav.loadEventStart,
      };
    });
    p.assertClean();
    return sample;
  } finally {
    await p.close();
  }
}
