// Accessibility: axe-core (WCAG 2.0/2.1 A and AA rules) on one page of every
// template in Dutch and English, plus the 404 page and the classifier page,
// served under the site's real CSP.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './lib/browser.mjs';
import { siteAndBrowser } from './lib/suite.mjs';
import { pageList, skipMissingPage } from './lib/pages.mjs';
import { runAxe, formatViolations, AXE_PATH } from './lib/axe.mjs';

const env = siteAndBrowser();

for (const pg of pageList()) {
  test(`axe: ${pg.name} (${pg.lang}) /${pg.path}`, { timeout: 60_000 }, async (t) => {
    if (skipMissingPage(t, env.site.dir, pg)) return;
    const p = await openPage(env.browser, env.site.at(pg.path), { expectStatus: pg.status });
    try {
      const violations = await runAxe(p.page);
      assert.equal(violations.length, 0, formatViolations(violations, `/${pg.path}`));
      p.assertClean();
    } finally {
      await p.close();
    }
  });
}

// Documents why lib/axe.mjs evaluates axe instead of using addScriptTag: the
// CSP (script-src 'self') blocks the inline <script> that addScriptTag makes.
// If this ever starts to pass, the CSP has been weakened.
test('axe injection: addScriptTag is blocked by the CSP, page.evaluate is not', async () => {
  const p = await openPage(env.browser, env.site.at(''));
  try {
    await assert.rejects(
      p.page.addScriptTag({ path: AXE_PATH }),
      /Content Security Policy/,
      'an inline <script> was allowed: the CSP no longer blocks inline scripts',
    );
    assert.ok(p.list().some((l) => /inline script/i.test(l)), 'the blocked inline script was not reported as a CSP violation');
    const violations = await runAxe(p.page);
    assert.ok(Array.isArray(violations));
  } finally {
    await p.close();
  }
});
