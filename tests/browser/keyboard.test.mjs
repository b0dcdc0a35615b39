// Keyboard-only walks: skip link, tabs, overview filters, collapsibles and
// definition tooltips, operated with Tab / arrows / Enter / Space / Escape
// only (no mouse, no element.click()).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, tabTo, describeFocus } from './lib/browser.mjs';
import { join } from 'node:path';
import { siteAndBrowser } from './lib/suite.mjs';
import { SCREENSHOT_DIR } from './lib/site.mjs';

const VEREISTE = 'vereisten/aia-gpai-modelevaluatie-systeemrisico/';
const MAATREGEL = 'maatregelen/2-owp-dpia-uitvoeren/';
const RECITAL = 'ai-verordening/overweging-112/';

const env = siteAndBrowser();

const focused = (page, sel) => page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), sel);

for (const [lang, path] of [
  ['nl', ''],
  ['en', 'en/'],
  ['nl', VEREISTE],
]) {
  test(`skip link is the first Tab stop and moves focus to main (${lang}) /${path}`, async () => {
    const p = await openPage(env.browser, env.site.at(path));
    try {
      const { page } = p;
      await page.keyboard.press('Tab');
      assert.ok(await focused(page, 'a.skip-link'), `first Tab focused ${await describeFocus(page)}, not the skip link`);
      const link = page.locator('a.skip-link');
      assert.ok(await link.isVisible(), 'skip link is not visible when focused');
      const box = await link.boundingBox();
      assert.ok(box && box.y >= 0 && box.height > 0, `focused skip link is off-screen: ${JSON.stringify(box)}`);
      assert.equal(await link.getAttribute('href'), '#main');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main', null, { timeout: 3000 }).catch(() => {});
      assert.ok(await focused(page, 'main#main'), `after Enter on the skip link focus is on ${await describeFocus(page)}, not main`);
      // The next Tab continues inside main, not back in the header.
      await page.keyboard.press('Tab');
      assert.ok(
        await page.evaluate(() => !!document.activeElement.closest('main, aside, .layout')),
        `Tab after the skip link went to ${await describeFocus(page)}, outside the content`,
      );
      p.assertClean();
    } finally {
      await p.close();
    }
  });
}

test('tabs: Tab reaches the first tab, arrows switch tabs and panels', async () => {
  const p = await openPage(env.browser, env.site.at(VEREISTE));
  try {
    const { page } = p;
    const tabs = page.locator('[data-tabs]').first().locator(':scope > .tab-list > [role="tab"]');
    const n = await tabs.count();
    assert.ok(n >= 2, `expected a tab set with at least 2 tabs on /${VEREISTE}, found ${n}`);
    await tabTo(page, '[data-tabs] [role="tab"]');
    const firstId = await tabs.nth(0).getAttribute('id');
    assert.equal(await page.evaluate(() => document.activeElement.id), firstId, 'Tab should land on the selected (first) tab; the others have tabindex=-1');

    const state = () =>
      page.evaluate(() => {
        const root = document.querySelector('[data-tabs]');
        const ts = [...root.querySelectorAll(':scope > .tab-list > [role="tab"]')];
        return ts.map((t) => {
          const panel = document.getElementById(t.getAttribute('aria-controls'));
          const visible = !!panel && panel.getClientRects().length > 0 && getComputedStyle(panel).display !== 'none';
          return { id: t.id, selected: t.getAttribute('aria-selected'), tabindex: t.tabIndex, panelVisible: visible, panelHidden: !!panel && panel.hidden, focused: document.activeElement === t };
        });
      });
    const expectSelected = async (k, why) => {
      const s = await state();
      s.forEach((t, i) => {
        const on = i === k;
        assert.equal(t.selected, on ? 'true' : 'false', `${why}: tab ${i} aria-selected=${t.selected}`);
        assert.equal(t.panelVisible, on, `${why}: panel of tab ${i} ${t.panelVisible ? 'visible' : 'hidden'}`);
        assert.equal(t.tabindex, on ? 0 : -1, `${why}: tab ${i} tabindex=${t.tabindex} (roving tabindex)`);
      });
      assert.ok(s[k].focused, `${why}: focus is not on tab ${k}`);
    };
    await expectSelected(0, 'initially');
    await page.keyboard.press('ArrowRight');
    await expectSelected(1, 'after ArrowRight');
    await page.keyboard.press('End');
    await expectSelected(n - 1, 'after End');
    await page.keyboard.press('ArrowRight');
    await expectSelected(0, 'after ArrowRight on the last tab (wraps)');
    await page.keyboard.press('ArrowLeft');
    await expectSelected(n - 1, 'after ArrowLeft on the first tab (wraps)');
    await page.keyboard.press('Home');
    await expectSelected(0, 'after Home');
    // Tab from the tab list moves into the selected panel, not to the other tabs.
    await page.keyboard.press('Tab');
    const inPanel = await page.evaluate(() => {
      const e = document.activeElement;
      return !!e && (e.matches('[role="tabpanel"]') || !!e.closest('[role="tabpanel"]')) && e.getAttribute('role') !== 'tab';
    });
    assert.ok(inPanel, `Tab from the selected tab went to ${await describeFocus(page)}, not into its panel`);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('overview filters: keyboard selects a taxonomy option, rows and live count follow', async () => {
  const p = await openPage(env.browser, env.site.at('vereisten/'));
  try {
    const { page } = p;
    const rows = page.locator('[data-list] tbody tr[data-terms]');
    const total = await rows.count();
    assert.ok(total > 3, `only ${total} rows on /vereisten/`);
    const visibleRows = () => page.locator('[data-list] tbody tr[data-terms]:not([hidden])').count();
    assert.equal(await visibleRows(), total, 'all rows visible before filtering');
    assert.ok(await page.locator('form[data-list-filters]').isVisible(), 'the filter form is not shown with JavaScript on');
    const count = page.locator('[data-list-count]');
    assert.equal((await count.textContent()).trim(), '', 'live count should be empty before filtering');
    assert.equal(await count.getAttribute('aria-live'), 'polite');

    const sel = 'form[data-list-filters] select[data-filter-key="levenscyclus"]';
    const target = (await page.locator(sel).count()) ? sel : 'form[data-list-filters] select[data-filter-key]';
    await tabTo(page, target);
    // Closed <select> on Linux: ArrowDown changes the value and fires change.
    let shown = total;
    for (let i = 0; i < 12 && (shown === total || shown === 0); i++) {
      await page.keyboard.press('ArrowDown');
      shown = await visibleRows();
    }
    const value = await page.evaluate(() => document.activeElement.value);
    assert.notEqual(value, '', 'ArrowDown did not change the select');
    assert.ok(shown > 0 && shown < total, `after choosing "${value}" ${shown} of ${total} rows are visible: expected fewer, but not none`);
    // Every visible row carries the chosen term, every hidden one lacks it.
    const key = await page.evaluate(() => document.activeElement.getAttribute('data-filter-key'));
    const mismatch = await page.evaluate(
      ({ key, value }) =>
        [...document.querySelectorAll('[data-list] tbody tr[data-terms]')].filter((r) => {
          const has = (' ' + r.getAttribute('data-terms') + ' ').includes(` ${key}:${value} `);
          return has === r.hidden;
        }).length,
      { key, value },
    );
    assert.equal(mismatch, 0, `${mismatch} rows do not match the filter ${key}:${value}`);
    const text = (await count.textContent()).trim();
    assert.ok(text.includes(String(shown)) && text.includes(String(total)), `live count says "${text}", expected it to mention ${shown} and ${total}`);
    assert.ok(await count.isVisible(), 'the live count is not visible');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'keyboard-filtered-overview.png') });

    // Back to "all" with Home: every row returns and the count empties.
    await page.keyboard.press('Home');
    assert.equal(await visibleRows(), total, 'choosing the first option ("all") again should show every row');
    assert.equal((await count.textContent()).trim(), '', 'live count should be empty again without a filter');

    // The text box, reached with Shift+Tab, filters on typed words.
    if (await page.locator('form[data-list-filters] [data-filter-text]').count()) {
      await tabTo(page, 'form[data-list-filters] [data-filter-text]', { shift: true, max: 10 });
      const word = await page.evaluate(() => {
        const t = document.querySelector('[data-list] tbody tr[data-terms] .cell-title a').textContent;
        return t.split(/\s+/).filter((w) => w.length > 6)[0] || t.split(/\s+/)[0];
      });
      await page.keyboard.type(word);
      const byText = await visibleRows();
      assert.ok(byText >= 1 && byText < total, `typing "${word}" left ${byText} of ${total} rows`);
      const t2 = (await count.textContent()).trim();
      assert.ok(t2.includes(String(byText)), `live count says "${t2}" after typing, expected ${byText}`);
    }
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('collapsible <details>: Enter and Space on the summary open and close it', async () => {
  // The maatregel page is meant to have collapsibles; fall back to the vereiste page.
  let p;
  for (const path of [MAATREGEL, VEREISTE]) {
    p = await openPage(env.browser, env.site.at(path));
    if (await p.page.locator('main details > summary').count()) break;
    await p.close();
    p = null;
  }
  assert.ok(p, `no <details> on /${MAATREGEL} or /${VEREISTE}`);
  try {
    const { page } = p;
    const details = page.locator('main details').first();
    const wasOpen = await details.evaluate((d) => d.open);
    assert.equal(wasOpen, false, 'the first collapsible should start closed');
    await tabTo(page, 'main details > summary');
    assert.equal(await page.evaluate(() => document.activeElement.parentElement === document.querySelector('main details')), true, 'Tab reached a different summary first');
    const body = details.locator(':scope > :not(summary)').first();
    assert.equal(await body.isVisible(), false, 'content visible while closed');
    await page.keyboard.press('Enter');
    assert.equal(await details.evaluate((d) => d.open), true, 'Enter did not open the <details>');
    assert.equal(await body.isVisible(), true, 'content not visible after opening');
    await page.keyboard.press('Space');
    assert.equal(await details.evaluate((d) => d.open), false, 'Space did not close the <details>');
    await page.keyboard.press('Space');
    assert.equal(await details.evaluate((d) => d.open), true, 'Space did not open the <details>');
    p.assertClean();
  } finally {
    await p.close();
  }
});

for (const [lang, path] of [
  ['nl', RECITAL],
  ['en', 'en/' + RECITAL],
]) {
  test(`definition tooltip: shown on focus, hidden by Escape (${lang})`, async () => {
    const p = await openPage(env.browser, env.site.at(path));
    try {
      const { page } = p;
      assert.ok((await page.locator('main .defterm > a.deflink').count()) > 0, `no definition links on /${path}`);
      await tabTo(page, 'main .defterm > a.deflink');
      const info = await page.evaluate(() => {
        const a = document.activeElement;
        const id = a.getAttribute('aria-describedby');
        const tip = id && document.getElementById(id);
        return { id, tipIsSibling: !!tip && a.nextElementSibling === tip, role: tip && tip.getAttribute('role'), text: tip && tip.textContent.trim() };
      });
      assert.ok(info.id, 'definition link has no aria-describedby');
      assert.ok(info.tipIsSibling, `aria-describedby="${info.id}" does not point to the .deftip next to the link`);
      assert.equal(info.role, 'tooltip');
      assert.ok(info.text && info.text.length > 10, 'tooltip text is empty');
      const tip = page.locator(`[id="${info.id}"]`);
      assert.equal(await tip.isVisible(), true, 'tooltip not visible while its link has focus');
      const box = await tip.boundingBox();
      const vw = page.viewportSize().width;
      assert.ok(box && box.x >= 0 && box.x + box.width <= vw + 1, `tooltip overflows the viewport: ${JSON.stringify(box)}`);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `keyboard-tooltip-${lang}.png`) });
      await page.keyboard.press('Escape');
      assert.equal(await tip.isVisible(), false, 'tooltip still visible after Escape');
      assert.ok(await focused(page, 'a.deflink'), 'Escape moved focus away from the link');
      // Moving on and back shows it again.
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      assert.ok(await focused(page, `a.deflink[aria-describedby="${info.id}"]`), `Shift+Tab, Tab did not return to the link (at ${await describeFocus(page)})`);
      assert.equal(await tip.isVisible(), true, 'tooltip not shown again after refocusing');
      p.assertClean();
    } finally {
      await p.close();
    }
  });
}

// WCAG 2.4.7: every Tab stop shows where focus is. Walks all Tab stops of a
// page and checks each focused element is rendered and has an outline or a
// box-shadow (the theme's :focus-visible ring).
for (const [lang, path] of [
  ['nl', VEREISTE],
  ['en', 'en/vereisten/'],
]) {
  test(`focus indicator on every Tab stop (${lang}) /${path}`, { timeout: 90_000 }, async () => {
    const p = await openPage(env.browser, env.site.at(path));
    try {
      const { page } = p;
      const bad = [];
      let stops = 0;
      for (let i = 0; i < 400; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const e = document.activeElement;
          if (!e || e === document.body) return { done: true }; // focus left the document
          if (e.dataset.kaderSeen === '1') return { done: true }; // wrapped around
          e.dataset.kaderSeen = '1';
          const cs = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow && cs.boxShadow !== 'none');
          const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          const text = (e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
          return { desc: `${name} "${text}"`, visible: r.width > 0 && r.height > 0 && cs.visibility !== 'hidden', ring };
        });
        if (f.done) break;
        stops++;
        if (!f.visible) bad.push(`${f.desc}: focused but not rendered`);
        else if (!f.ring) bad.push(`${f.desc}: no visible focus indicator (outline/box-shadow)`);
      }
      assert.ok(stops > 10, `only ${stops} Tab stops found`);
      assert.equal(bad.length, 0, `${bad.length} of ${stops} Tab stops:\n  ${bad.join('\n  ')}`);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
}
