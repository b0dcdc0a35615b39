// Without JavaScript every template's content is readable: the heading is
// there, all tab panels show with their labels, overview tables list every
// row, and the (JavaScript-only) filter form stays hidden.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage } from './lib/browser.mjs';
import { siteAndBrowser } from './lib/suite.mjs';
import { pageList, skipMissingPage } from './lib/pages.mjs';

const env = siteAndBrowser();

for (const pg of pageList()) {
  test(`no-JS: ${pg.name} (${pg.lang}) /${pg.path}`, { timeout: 60_000 }, async (t) => {
    if (skipMissingPage(t, env.site.dir, pg)) return;
    const p = await openPage(env.browser, env.site.at(pg.path), { javaScript: false, expectStatus: pg.status });
    // Soft checks: collect every failure on the page, then report them together.
    const errs = [];
    const check = (ok, msg) => {
      if (!ok) errs.push(msg);
    };
    try {
      const { page } = p;
      check(!(await page.evaluate(() => document.documentElement.classList.contains('js'))), 'scripts ran although JavaScript is off');

      // Heading.
      const h1 = page.locator('main h1').first();
      if (!(await h1.count())) errs.push('no main h1');
      else {
        check(await h1.isVisible(), 'main h1 is not visible');
        check((await h1.textContent()).trim().length > 0, 'main h1 is empty');
      }

      // Main content has some readable text.
      const words = (await page.locator('main').innerText()).split(/\s+/).filter(Boolean).length;
      check(words >= 5, `main holds only ${words} visible words`);

      // Tabs: every panel and its label visible, the (button) tab list hidden.
      const panels = page.locator('[data-tabs] .tab-panel');
      const np = await panels.count();
      for (let i = 0; i < np; i++) {
        const panel = panels.nth(i);
        check(await panel.isVisible(), `tab panel ${i} hidden without JavaScript`);
        const label = panel.locator(':scope > .tab-label');
        check((await label.count()) === 1 && (await label.isVisible()), `tab panel ${i} has no visible .tab-label`);
        if (await label.count()) check((await label.first().textContent()).trim(), `tab panel ${i} label is empty`);
      }
      const tablists = page.locator('[data-tabs] .tab-list');
      for (let i = 0; i < (await tablists.count()); i++) {
        check(!(await tablists.nth(i).isVisible()), 'tab buttons are shown without JavaScript (they do nothing then)');
      }

      // Lists: every row present and visible; filters and live count hidden.
      const lists = page.locator('[data-list]');
      for (let i = 0; i < (await lists.count()); i++) {
        const list = lists.nth(i);
        const id = (await list.getAttribute('id')) || i;
        const rows = list.locator('tbody tr');
        const n = await rows.count();
        const visible = await list.locator('tbody tr:visible').count();
        check(visible === n, `list ${id}: ${visible} of ${n} rows visible without JavaScript`);
        const form = list.locator('form[data-list-filters]');
        if (await form.count()) {
          if (await form.isVisible()) {
            const why = await form.evaluate((f) => `hidden=${f.hidden}, computed display: ${getComputedStyle(f).display}`);
            errs.push(`list ${id}: the filter form is visible without JavaScript, where it does nothing (${why}: a CSS display rule overrides the hidden attribute)`);
          }
        }
        const count = list.locator('[data-list-count]');
        if (await count.count()) check(!(await count.isVisible()), `list ${id}: live count visible without JavaScript`);
      }
      if (pg.name.startsWith('overview')) {
        const rows = await page.locator('main [data-list] tbody tr[data-terms]').count();
        check(rows > 3, `overview lists only ${rows} rows`);
      }

      // Definition tooltips stay closed until hovered or focused (CSS only).
      const tips = page.locator('.deftip');
      if (await tips.count()) check(!(await tips.first().isVisible()), 'a definition tooltip is open without focus or hover');

      errs.push(...p.list());
      assert.equal(errs.length, 0, `/${pg.path} without JavaScript:\n  ${errs.join('\n  ')}`);
    } finally {
      await p.close();
    }
  });
}

test('no-JS: definition tooltip still opens on keyboard focus (CSS only)', async () => {
  const p = await openPage(env.browser, env.site.at('ai-verordening/overweging-112/'), { javaScript: false });
  try {
    const link = p.page.locator('main .defterm > a.deflink').first();
    await link.focus();
    const id = await link.getAttribute('aria-describedby');
    assert.ok(await p.page.locator(`[id="${id}"]`).isVisible(), 'tooltip not shown on focus without JavaScript');
  } finally {
    await p.close();
  }
});
