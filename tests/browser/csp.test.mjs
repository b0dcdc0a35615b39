// CSP and clean loading: every page in sitemap.xml, served with the site's
// Content-Security-Policy, must load without a CSP violation, console error,
// uncaught page error or failed same-origin request. The same sweep runs over
// the build published under the sub-path /kennisbank/, where additionally
// every same-origin link must stay under the sub-path and resolve (no 404).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, pool } from './lib/browser.mjs';
import { serveBuild, sitemapPaths } from './lib/site.mjs';

const CONCURRENCY = Number(process.env.KADER_CSP_CONCURRENCY || 3);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/**
 * Load every path, collecting problems per page and, when `collectLinks`,
 * the same-origin a[href] targets found on each page.
 */
async function sweep(site, paths, { collectLinks = false } = {}) {
  const failures = [];
  const links = new Map(); // absolute URL (no hash) -> first page linking to it
  await pool(paths, CONCURRENCY, async (p) => {
    const url = site.at(p);
    let pg;
    try {
      pg = await openPage(browser, url);
      if (collectLinks) {
        const hrefs = await pg.page.$$eval('a[href]', (as) => as.map((a) => a.href));
        for (const h of hrefs) {
          const u = new URL(h);
          if (u.origin !== site.origin) continue;
          u.hash = '';
          if (!links.has(u.href)) links.set(u.href, '/' + p);
        }
      }
      const problems = pg.list();
      if (problems.length) failures.push(`/${p}:\n    ${problems.join('\n    ')}`);
    } catch (e) {
      failures.push(`/${p}: ${e.message.split('\n')[0]}${pg ? '\n    ' + pg.list().join('\n    ') : ''}`);
    } finally {
      await pg?.close();
    }
  });
  return { failures, links };
}

test('sitemap: every page loads clean under the CSP (site at /)', { timeout: 150_000 }, async () => {
  const site = await serveBuild('root');
  try {
    const paths = sitemapPaths('root');
    assert.ok(paths.length > 20, `sitemap.xml lists only ${paths.length} pages`);
    assert.ok(paths.includes('') && paths.some((p) => p.startsWith('en/')), 'sitemap.xml lacks the home page or the English pages');
    // The 404 pages are not in the sitemap; check them too.
    const { failures } = await sweep(site, paths);
    for (const p of ['bestaat-niet/', 'en/does-not-exist/']) {
      const pg = await openPage(browser, site.at(p), { expectStatus: 404 });
      const problems = pg.list();
      if (problems.length) failures.push(`/${p} (404 page):\n    ${problems.join('\n    ')}`);
      await pg.close();
    }
    assert.equal(failures.length, 0, `${failures.length} of ${paths.length + 2} pages have problems:\n  ${failures.join('\n  ')}`);
  } finally {
    await site.close();
  }
});

test('sub-path /kennisbank/: every page, asset and link works', { timeout: 150_000 }, async () => {
  const site = await serveBuild('sub');
  try {
    assert.match(site.mount, /^\/kennisbank\/$/, `KADER_SUB_URL should publish under /kennisbank/, not ${site.mount}`);
    const paths = sitemapPaths('sub');
    assert.ok(paths.length > 20, `sitemap.xml lists only ${paths.length} pages`);
    const { failures, links } = await sweep(site, paths, { collectLinks: true });

    // Every same-origin link anywhere must stay under the sub-path...
    const escaping = [...links].filter(([u]) => !new URL(u).pathname.startsWith(site.mount));
    for (const [u, from] of escaping) failures.push(`${from}: link ${u} leaves ${site.mount}`);

    // ...and resolve. Status only (no rendering), so this is quick.
    const ctx = await browser.newContext();
    try {
      await pool([...links], 6, async ([u, from]) => {
        const r = await ctx.request.get(u, { maxRedirects: 3, failOnStatusCode: false });
        if (r.status() >= 400) failures.push(`${from}: link ${u} -> HTTP ${r.status()}`);
      });
    } finally {
      await ctx.close();
    }
    assert.equal(failures.length, 0, `${failures.length} problem(s) under ${site.mount}:\n  ${failures.join('\n  ')}`);
  } finally {
    await site.close();
  }
});

test('sub-path /kennisbank/: following every link on the home pages lands on a real page', { timeout: 120_000 }, async () => {
  const site = await serveBuild('sub');
  const bad = [];
  try {
    for (const home of ['', 'en/']) {
      const pg = await openPage(browser, site.at(home));
      try {
        const hrefs = await pg.page.$$eval('a[href]', (as) => [...new Set(as.map((a) => a.href.split('#')[0]))]);
        const same = hrefs.filter((h) => new URL(h).origin === site.origin);
        assert.ok(same.length > 10, `only ${same.length} same-origin links on /${home}`);
        for (const h of same) {
          if (!new URL(h).pathname.startsWith(site.mount)) {
            bad.push(`/${home}: ${h} is outside ${site.mount}`);
            continue;
          }
          // Downloads (kennisbank.json/.csv, sitemap.xml): status only.
          if (/\.[a-z0-9]+$/i.test(new URL(h).pathname) && !/\.html$/i.test(new URL(h).pathname)) {
            const r = await pg.context.request.get(h, { failOnStatusCode: false });
            if (r.status() >= 400) bad.push(`/${home}: ${h} -> HTTP ${r.status()}`);
            continue;
          }
          // Pages: navigate like a user would, checking the status and that
          // the 404 page was not served.
          const r = await pg.page.goto(h, { waitUntil: 'domcontentloaded' });
          const status = r ? r.status() : 0;
          const notFound = await pg.page.locator('.not-found').count();
          if (status >= 400 || notFound) bad.push(`/${home}: ${h} -> HTTP ${status}${notFound ? ' (404 page)' : ''}`);
        }
        const problems = pg.list();
        if (problems.length) bad.push(`/${home} and the pages it links to:\n    ${problems.join('\n    ')}`);
      } finally {
        await pg.close();
      }
    }
    assert.equal(bad.length, 0, `${bad.length} bad link(s):\n  ${bad.join('\n  ')}`);
  } finally {
    await site.close();
  }
});
