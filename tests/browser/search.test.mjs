// The search box in the page header (static/kader-search.js driving
// static/kader-search.wasm over the site's search/<lang>/ index): operated
// with the keyboard only, checked for ARIA state, axe, CSP and console
// problems, the English index, the sub-path build, lazy loading and the
// offline message. Screenshots go to the harness's screenshot folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, openPage } from './lib/browser.mjs';
import { serveBuild, SCREENSHOT_DIR, ensureDir } from './lib/site.mjs';
import { runAxe, formatViolations } from './lib/axe.mjs';

const VEREISTE = 'vereisten/aia-gpai-modelevaluatie-systeemrisico/';
const DEFINITION = 'ai-verordening/a3/';

let browser, root, sub;
before(async () => {
  root = await serveBuild('root');
  sub = await serveBuild('sub');
  browser = await launch();
  ensureDir(SCREENSHOT_DIR);
});
after(async () => {
  await browser?.close();
  await root?.close();
  await sub?.close();
});

const INPUT = 'form[data-search] [role="combobox"]';

/** State of the search widget, as a screen reader would see it. */
function widget(page) {
  return page.evaluate((sel) => {
    const input = document.querySelector(sel);
    if (!input) throw new Error('no search box on this page: templates/base.html must {% include "partials/search.html" %} and load kader-search.js/.css');
    const form = input.closest('form');
    const list = document.getElementById(input.getAttribute('aria-controls'));
    const opts = [...list.querySelectorAll('[role="option"]')];
    const live = form.querySelector('[aria-live]');
    const status = form.querySelector('.site-search-status');
    return {
      focused: document.activeElement === input,
      formHidden: form.hidden,
      expanded: input.getAttribute('aria-expanded'),
      activedescendant: input.getAttribute('aria-activedescendant'),
      listRole: list.getAttribute('role'),
      listVisible: list.getClientRects().length > 0,
      options: opts.map((o) => ({
        id: o.id,
        url: new URL(o.dataset.url, location.href).pathname + new URL(o.dataset.url, location.href).hash,
        selected: o.getAttribute('aria-selected'),
        title: o.querySelector('.site-search-title')?.textContent || '',
        marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
      })),
      live: live ? live.textContent : null,
      status: status && !status.hidden ? status.textContent : '',
      value: input.value,
    };
  }, INPUT);
}

async function typeQuery(page, q) {
  await page.keyboard.type(q, { delay: 20 });
  // The widget marks the query it shows (data-query) and when it is done.
  await page.waitForFunction(
    ([sel, q]) => {
      const form = document.querySelector(sel).closest('form');
      return form.dataset.query === q && /^(done|error)$/.test(form.dataset.state || '');
    },
    [INPUT, q],
    { timeout: 10_000 },
  );
  // The live region speaks once typing has paused.
  await page.waitForFunction((sel) => {
    const live = document.querySelector(sel).closest('form').querySelector('[aria-live]');
    return live && live.textContent.length > 0;
  }, INPUT, { timeout: 5000 });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name), animations: 'disabled', caret: 'hide' });
}

for (const width of [1280, 390]) {
  test(`nl: / focuses the box, systeemrisico finds the definition and the requirements, ArrowDown + Enter opens the anchor (${width} px)`, async () => {
    const requests = [];
    const p = await openPage(browser, root.at(VEREISTE), { fresh: true, width, height: width < 600 ? 844 : 800 });
    try {
      const { page } = p;
      page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      let w = await widget(page);
      assert.equal(w.formHidden, false, 'the script unhides the search form');
      assert.equal(w.expanded, 'false');
      // Lazy: nothing of the search is fetched before the box is used.
      assert.deepEqual(requests.filter((u) => /search|\.wasm$/.test(u)), [], 'search files fetched before the box was used');

      await page.keyboard.press('/');
      w = await widget(page);
      assert.ok(w.focused, '/ focuses the search box');
      assert.equal(w.value, '', 'the / is not typed into the box');

      await typeQuery(page, 'systeemrisico');
      w = await widget(page);
      const urls = w.options.map((o) => o.url);
      assert.ok(w.options.length >= 3, `results: ${urls.join(' ')}`);
      assert.equal(w.expanded, 'true', 'aria-expanded is true with results shown');
      assert.equal(w.listRole, 'listbox');
      assert.ok(w.listVisible, 'the listbox is visible');
      assert.match(w.live, /^\d+ resultaten?$/, `live region: ${w.live}`);
      assert.ok(urls.slice(0, 3).includes(`/${DEFINITION}#^sysrisk`), `the definition is not in the top 3: ${urls.join(' ')}`);
      const reqs = urls.filter((u) => /^\/vereisten\/aia-gpai-[^/]+\//.test(u));
      assert.ok(reqs.length >= 2, `systemic-risk requirements missing: ${urls.join(' ')}`);
      assert.ok(urls.some((u) => u.startsWith(`/${VEREISTE}`)), urls.join(' '));
      for (const o of w.options) {
        assert.ok(o.title, `an option without a title: ${o.url}`);
        assert.ok(o.marks.length > 0 && o.marks.every((m) => /risico/i.test(m)), `${o.url}: marks ${JSON.stringify(o.marks)}`);
      }
      // Only the box, the module, the meta file, chunks and the fragments shown.
      const fetched = requests.filter((u) => /search|\.wasm$/.test(u));
      assert.ok(fetched.some((u) => u.endsWith('/kader-search.wasm')) && fetched.some((u) => u.endsWith('/search/nl/meta.bin')), fetched.join(' '));
      assert.ok(fetched.every((u) => u.endsWith('.wasm') || u.startsWith('/search/nl/')), `fetched outside search/nl/: ${fetched.join(' ')}`);
      // Fragments only for results shown (10 per query; typing may run a
      // few intermediate queries).
      assert.ok(fetched.filter((u) => u.includes('/frag-')).length <= 40, `fetched ${fetched.length} files`);

      // ArrowDown to the definition (it is in the top 3), then Enter.
      const target = urls.indexOf(`/${DEFINITION}#^sysrisk`);
      for (let i = 0; i <= target; i++) await page.keyboard.press('ArrowDown');
      w = await widget(page);
      assert.equal(w.activedescendant, w.options[target].id, 'aria-activedescendant names the active option');
      assert.equal(w.options[target].selected, 'true');
      assert.equal(w.options.filter((o) => o.selected === 'true').length, 1, 'one option is selected');
      assert.ok(w.focused, 'focus stays in the box while moving through the options');
      await shot(page, `search-nl-${width}.png`);

      if (width === 1280) {
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, formatViolations(violations, 'search results open'));
      }

      await Promise.all([page.waitForURL((u) => u.pathname === `/${DEFINITION}`, { timeout: 10_000 }), page.keyboard.press('Enter')]);
      await page.waitForLoadState('load');
      const landed = await page.evaluate(() => ({
        hash: decodeURIComponent(location.hash),
        inView: (() => {
          const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
          if (!el) return false;
          const r = el.getBoundingClientRect();
          return r.bottom > 0 && r.top < innerHeight;
        })(),
      }));
      assert.equal(landed.hash, '#^sysrisk');
      assert.ok(landed.inView, 'the definition is scrolled into view');
      await shot(page, `search-nl-landed-${width}.png`);
      p.assertClean();
    } finally {
      await p.close();
    }
  });
}

test('nl: typo, apostrophe, Escape, no results, ArrowUp wraps', async () => {
  const p = await openPage(browser, root.at(''), { fresh: true });
  try {
    const { page } = p;
    await page.focus(INPUT);
    await typeQuery(page, 'systeemrisco');
    let w = await widget(page);
    assert.ok(w.options.some((o) => o.url === `/${DEFINITION}#^sysrisk`), `typo: ${w.options.map((o) => o.url).join(' ')}`);

    await page.keyboard.press('Escape');
    w = await widget(page);
    assert.equal(w.value, '', 'Escape clears the box');
    assert.equal(w.expanded, 'false', 'Escape closes the list');
    assert.equal(w.activedescendant, null);
    assert.ok(w.focused, 'focus stays in the box');

    await typeQuery(page, 'risico’s');
    w = await widget(page);
    assert.ok(w.options.length >= 3, 'curly apostrophe');
    await page.keyboard.press('ArrowUp');
    w = await widget(page);
    assert.equal(w.activedescendant, w.options[w.options.length - 1].id, 'ArrowUp from the box goes to the last option');
    await page.keyboard.press('ArrowDown');
    w = await widget(page);
    assert.equal(w.activedescendant, w.options[0].id, 'ArrowDown after the last option wraps to the first');

    // A compound the index does not hold is split into words it does.
    await page.fill(INPUT, '');
    await typeQuery(page, 'rekenkrachtdrempel');
    w = await widget(page);
    assert.equal(w.options[0]?.url.split('#')[0], '/maatregelen/4-owk-rekenkrachtdrempel-bewaken/', `compound query: ${w.options.map((o) => o.url).join(' ')}`);

    await page.fill(INPUT, '');
    await typeQuery(page, 'xqzwvk');
    w = await widget(page);
    assert.equal(w.options.length, 0);
    assert.equal(w.status, 'Geen resultaten');
    assert.equal(w.live, 'Geen resultaten');
    assert.equal(w.expanded, 'false', 'no listbox shown: aria-expanded stays false');

    // Tab moves to "Meer resultaten" (more than ten results), keeping the
    // list; the next Tab leaves the box and closes the dropdown.
    await page.fill(INPUT, '');
    await typeQuery(page, 'algoritme');
    await page.keyboard.press('Tab');
    w = await widget(page);
    assert.equal(w.expanded, 'true', 'Tab to "more" keeps the list');
    assert.ok(await page.evaluate(() => document.activeElement.matches('[data-search-more]')), 'Tab reaches "more"');
    await page.keyboard.press('Tab');
    w = await widget(page);
    assert.equal(w.expanded, 'false', 'leaving the box closes the list');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('en: the English site searches the English index', async () => {
  const requests = [];
  const p = await openPage(browser, root.at('en/'), { fresh: true });
  try {
    const { page } = p;
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    assert.equal(await page.getAttribute(INPUT, 'placeholder'), 'Search…');
    await page.keyboard.press('/');
    await typeQuery(page, 'systemic risk');
    const w = await widget(page);
    const urls = w.options.map((o) => o.url);
    assert.ok(urls.length > 0, 'no results');
    assert.ok(urls.every((u) => u.startsWith('/en/')), `non-English results: ${urls.join(' ')}`);
    assert.ok(urls.includes(`/en/${DEFINITION}#^sysrisk`), urls.join(' '));
    assert.match(w.live, /^\d+ results?$/, `live region: ${w.live}`);
    const fetched = requests.filter((u) => u.includes('/search/'));
    assert.ok(fetched.length && fetched.every((u) => u.startsWith('/search/en/')), fetched.join(' '));
    await shot(page, 'search-en-1280.png');
    const violations = await runAxe(page);
    assert.equal(violations.length, 0, formatViolations(violations, 'English search results open'));
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('sub-path /kennisbank/: the index, the module and the result links carry the base path', async () => {
  const p = await openPage(browser, sub.at(''), { fresh: true });
  try {
    const { page } = p;
    await page.keyboard.press('/');
    await typeQuery(page, 'systeemrisico');
    const w = await widget(page);
    const urls = w.options.map((o) => o.url);
    assert.ok(urls.length >= 3 && urls.every((u) => u.startsWith(sub.mount)), urls.join(' '));
    const i = urls.indexOf(`${sub.mount}${DEFINITION}#^sysrisk`);
    assert.ok(i >= 0, urls.join(' '));
    // Clicking a result follows it too.
    await Promise.all([
      page.waitForURL((u) => u.pathname === `${sub.mount}${DEFINITION}`, { timeout: 10_000 }),
      page.click(`[role="option"]:nth-child(${i + 1})`),
    ]);
    assert.equal(await page.evaluate(() => decodeURIComponent(location.hash)), '#^sysrisk');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('offline: a failed fetch shows a message, not an exception', async () => {
  const p = await openPage(browser, root.at(''), {
    fresh: true,
    allow: [/search\/nl\//, /ERR_FAILED/, /net::/],
  });
  try {
    const { page } = p;
    await page.route('**/search/nl/chunk-*', (r) => r.abort('internetdisconnected'));
    await page.keyboard.press('/');
    await typeQuery(page, 'systeemrisico');
    let w = await widget(page);
    assert.equal(w.options.length, 0);
    assert.match(w.status, /Zoeken lukt nu niet/);
    assert.equal(w.live, w.status);
    // Back online: the next query works.
    await page.unroute('**/search/nl/chunk-*');
    await page.keyboard.type(' ');
    await page.keyboard.press('Backspace');
    await page.waitForFunction((sel) => document.getElementById(document.querySelector(sel).getAttribute('aria-controls')).children.length > 0, INPUT, { timeout: 10_000 });
    w = await widget(page);
    assert.ok(w.options.length > 0, 'results after coming back online');
    assert.deepEqual(p.list().filter((l) => /page error|console error/.test(l) && !/search\/nl\//.test(l)), []);
  } finally {
    await p.close();
  }
});

test('without JavaScript the search box is not shown', async () => {
  const p = await openPage(browser, root.at(''), { fresh: true, javaScript: false });
  try {
    assert.equal(await p.page.locator('form[data-search]').count(), 1, 'the page has the search form');
    assert.equal(await p.page.locator('form[data-search]').isVisible(), false, 'the search form is hidden without JavaScript');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('/ typed into another field is not stolen', async () => {
  const p = await openPage(browser, root.at('vereisten/'), { fresh: true });
  try {
    const { page } = p;
    const filter = page.locator('[data-filter-text]').first();
    if ((await filter.count()) === 0) return; // no filter box on this build
    await filter.focus();
    await page.keyboard.type('a/b');
    assert.equal(await filter.inputValue(), 'a/b');
    assert.equal(await page.evaluate((sel) => document.activeElement === document.querySelector(sel), INPUT), false);
    p.assertClean();
  } finally {
    await p.close();
  }
});
