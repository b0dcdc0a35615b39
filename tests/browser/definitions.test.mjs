// Definition links on the recital page: the tooltip with the definition's
// text shows on hover and on keyboard focus, is the link's accessible
// description, and Escape dismisses it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPage } from './lib/browser.mjs';
import { siteAndBrowser } from './lib/suite.mjs';
import { SCREENSHOT_DIR } from './lib/site.mjs';

const env = siteAndBrowser();

test('definition tooltip on hover and on focus; Escape hides it', async () => {
  const s = await openPage(env.browser, env.site.at('ai-verordening/overweging-112/'));
  try {
    const { page } = s;
    const link = page.locator('a.deflink[href*="#%5Esysrisk"], a.deflink[href*="#^sysrisk"]').first();
    const tipId = await link.getAttribute('aria-describedby');
    assert.ok(tipId, 'the link is described by its tooltip');
    const tip = page.locator(`[id="${tipId}"]`);
    assert.equal(await tip.getAttribute('role'), 'tooltip');
    assert.match(await tip.textContent(), /Systeemrisico/);
    assert.equal(await tip.isVisible(), false, 'hidden until hovered or focused');

    await link.hover();
    await tip.waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'definition-hover-1280.png') });
    await page.mouse.move(0, 0);
    await tip.waitFor({ state: 'hidden' });

    await link.focus();
    await tip.waitFor({ state: 'visible' });
    const description = await page.evaluate((id) => document.getElementById(id)?.textContent, tipId);
    assert.match(description, /punt 65/);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'definition-focus-1280.png') });
    await page.keyboard.press('Escape');
    await tip.waitFor({ state: 'hidden' });
    s.assertClean();
  } finally {
    await s.close();
  }
});

test('without JavaScript a definition link is a plain link to the definition', async () => {
  const s = await openPage(env.browser, env.site.at('ai-verordening/overweging-112/'), { javaScript: false });
  try {
    const { page } = s;
    const href = await page.locator('a.deflink').first().getAttribute('href');
    assert.match(href, /\/ai-verordening\/a3\/#/);
    await page.goto(new URL(href, env.site.at('')).href);
    assert.ok(await page.locator('[id="^sysrisk"], [id^="^"]').count() > 0, 'the definitions carry their block ids');
  } finally {
    await s.close();
  }
});
