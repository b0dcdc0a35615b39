// Without JavaScript every template's content is readable: the heading is
// there, all tab panels show with their labels, overview tables list every
// row, and the (JavaScript-only) filter form stays hidden.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './lib/browser.mjs';
import { serveBuild, inBuild } from './lib/site.mjs';
import { pageList } from './lib/pages.mjs';

let browser, site;
before(async () => {
  site = await serveBuild('root');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

for (const pg of pageList()) {
  test(`no-JS: ${pg.name} (${pg.lang}) /${pg.path}`, { timeout: 60_000 }, async (t) => {
    if (pg.optional && !inBuild(site.dir, pg.path)) {
      t.skip(`/${pg.path} is not in the build`);
      return;
    }
    const p = await openPage(browser, site.at(pg.path), { javaScript: false, expectStatus: pg.status });
    try {
      const { page } = p;
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('js')), false, 'scripts ran although JavaScript is off');

      // Heading.
      const h1 = page.locator('main h1').first();
      assert.ok(await h1.count(), 'no main h1');
      assert.ok(await h1.isVisible(), 'main h1 is not visible');
      const title = (await h1.textContent()).trim();
      assert.ok(title.length > 0, 'main h1 is empty');

      // Main content has some readable text.
      const words = (await page.locator('main').innerText()).split(/\s+/).filter(Boolean).length;
      assert.ok(words >= 5, `main holds only ${words} visible words`);

      // Tabs: every panel and its label visible, the (button) tab list hidden.
      const panels = page.locator('[data-tabs] .tab-panel');
      const np = await panels.count();
      for (let i = 0; i < np; i++) {
        const panel = panels.nth(i);
        assert.ok(await panel.isVisible(), `tab panel ${i} hidden without JavaScript`);
        const label = panel.locator(':scope > .tab-label');
        assert.ok((await label.count()) === 1 && (await label.isVisible()), `tab panel ${i} has no visible .tab-label`);
        assert.ok((await label.textContent()).trim(), `tab panel ${i} label is empty`);
      }
      const tablists = page.locator('[data-tabs] .tab-list');
      for (let i = 0; i < (await tablists.count()); i++) {
        assert.equal(await tablists.nth(i).isVisible(), false, 'tab buttons are shown without JavaScript (they do nothing then)');
      }

      // Lists: every row present and visible; filters and live count hidden.
      const lists = page.locator('[data-list]');
      for (let i = 0; i < (await lists.count()); i++) {
        const list = lists.nth(i);
        const inHiddenPanel = await list.evaluate((el) => !!el.closest('[hidden]'));
        if (inHiddenPanel) continue;
        const rows = list.locator('tbody tr');
        const n = await rows.count();
        const visible = await list.locator('tbody tr:visible').count();
        assert.equal(visible, n, `list ${i}: ${visible} of ${n} rows visible without JavaScript`);
        const form = list.locator('form[data-list-filters]');
        if (await form.count()) assert.equal(await form.isVisible(), false, `list ${i}: filter form visible without JavaScript (it cannot work)`);
        const count = list.locator('[data-list-count]');
        if (await count.count()) assert.equal(await count.isVisible(), false, `list ${i}: live count visible without JavaScript`);
      }
      if (pg.name.startsWith('overview')) {
        const rows = await page.locator('main [data-list] tbody tr[data-terms]').count();
        assert.ok(rows > 3, `overview lists only ${rows} rows`);
      }

      // Definition tooltips stay closed until hovered or focused (CSS only).
      const tips = page.locator('.deftip');
      if (await tips.count()) assert.equal(await tips.first().isVisible(), false, 'a definition tooltip is open without focus or hover');

      p.assertClean();
    } finally {
      await p.close();
    }
  });
}

test('no-JS: definition tooltip still opens on keyboard focus (CSS only)', async () => {
  const p = await openPage(browser, site.at('ai-verordening/overweging-112/'), { javaScript: false });
  try {
    const link = p.page.locator('main .defterm > a.deflink').first();
    await link.focus();
    const id = await link.getAttribute('aria-describedby');
    assert.ok(await p.page.locator(`[id="${id}"]`).isVisible(), 'tooltip not shown on focus without JavaScript');
  } finally {
    await p.close();
  }
});
