// Language switching: from the Dutch requirement to its English translation
// and back through the language switcher, with correct <html lang> and
// reciprocal hreflang alternates; an untranslated page links to the English
// home page instead.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPage } from './lib/browser.mjs';
import { siteAndBrowser } from './lib/suite.mjs';
import { build, SCREENSHOT_DIR } from './lib/site.mjs';

const NL = 'vereisten/aia-gpai-modelevaluatie-systeemrisico/';
const EN = 'en/vereisten/aia-gpai-modelevaluatie-systeemrisico/';

const env = siteAndBrowser();

const alternates = (page) =>
  page.$$eval('link[rel="alternate"][hreflang]', (ls) => ls.map((l) => ({ lang: l.getAttribute('hreflang'), href: l.getAttribute('href') })));

test('language switcher: nl -> en -> nl on a translated requirement', async () => {
  const p = await openPage(env.browser, env.site.at(NL));
  try {
    const { page } = p;
    const base = build('root').url;
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    const current = page.locator('nav.lang-switch [aria-current]');
    assert.equal(await current.getAttribute('lang'), 'nl', 'the switcher does not mark Dutch as current');

    // hreflang alternates on the Dutch page: both languages, absolute, under the base URL.
    const altNl = await alternates(page);
    const want = [
      { lang: 'nl', href: base + NL },
      { lang: 'en', href: base + EN },
    ];
    for (const w of want) {
      assert.ok(altNl.some((a) => a.lang === w.lang && a.href === w.href), `nl page lacks <link rel=alternate hreflang=${w.lang} href=${w.href}>; has ${JSON.stringify(altNl)}`);
    }

    const toEn = page.locator('nav.lang-switch a[hreflang="en"]');
    assert.equal(await toEn.count(), 1, 'no English link in nav.lang-switch');
    assert.equal(await toEn.getAttribute('lang'), 'en', 'the English link should carry lang="en" (its text is English)');
    await Promise.all([page.waitForURL(env.site.at(EN)), toEn.click()]);
    assert.equal(new URL(page.url()).pathname, '/' + EN);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok((await page.locator('main h1').textContent()).trim().length > 0);
    assert.equal(await page.locator('nav.lang-switch [aria-current]').getAttribute('lang'), 'en');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'language-en.png'), fullPage: true });

    const altEn = await alternates(page);
    for (const w of want) {
      assert.ok(altEn.some((a) => a.lang === w.lang && a.href === w.href), `en page lacks <link rel=alternate hreflang=${w.lang} href=${w.href}>; has ${JSON.stringify(altEn)}`);
    }
    // Reciprocal: both pages list the same alternates.
    const norm = (l) => l.map((a) => `${a.lang} ${a.href}`).sort().join('\n');
    assert.equal(norm(altEn), norm(altNl), 'hreflang alternates are not reciprocal');

    const toNl = page.locator('nav.lang-switch a[hreflang="nl"]');
    assert.equal(await toNl.count(), 1, 'no Dutch link in nav.lang-switch on the English page');
    await Promise.all([page.waitForURL(env.site.at(NL)), toNl.click()]);
    assert.equal(new URL(page.url()).pathname, '/' + NL);
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'language-nl.png'), fullPage: true });

    // The alternates resolve.
    for (const a of altNl) {
      const r = await p.context.request.get(new URL(new URL(a.href).pathname, env.site.origin).href);
      assert.equal(r.status(), 200, `alternate ${a.href} -> HTTP ${r.status()}`);
    }
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('language switcher: keyboard activation works too', async () => {
  const p = await openPage(env.browser, env.site.at(NL));
  try {
    const { page } = p;
    await page.locator('nav.lang-switch a[hreflang="en"]').focus();
    await Promise.all([page.waitForURL(env.site.at(EN)), page.keyboard.press('Enter')]);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('language switcher: an untranslated page says so and links to a working English page', async () => {
  const p = await openPage(env.browser, env.site.at('maatregelen/2-owp-dpia-uitvoeren/'));
  try {
    const { page } = p;
    const alt = await alternates(page);
    const link = page.locator('nav.lang-switch a[hreflang="en"]');
    assert.equal(await link.count(), 1);
    if (alt.some((a) => a.lang === 'en')) {
      // It has been translated in the meantime: then the link goes there.
      const en = alt.find((a) => a.lang === 'en');
      assert.equal(new URL(await link.evaluate((a) => a.href)).pathname, new URL(en.href).pathname);
    } else {
      assert.ok(await page.locator('nav.lang-switch .untranslated').isVisible(), 'no "not translated" note next to the English link');
    }
    await Promise.all([page.waitForLoadState('load'), link.click()]);
    const r = await p.context.request.get(page.url());
    assert.equal(r.status(), 200, `English link of an untranslated page -> ${page.url()} HTTP ${r.status()}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('every page declares its language and the 404 pages match theirs', async () => {
  for (const [u, lang, status] of [
    ['', 'nl', 200],
    ['en/', 'en', 200],
    ['bestaat-niet/', 'nl', 404],
    ['en/does-not-exist/', 'en', 404],
  ]) {
    const p = await openPage(env.browser, env.site.at(u), { expectStatus: status });
    try {
      assert.equal(await p.page.getAttribute('html', 'lang'), lang, `/${u}: <html lang>`);
    } finally {
      await p.close();
    }
  }
});
