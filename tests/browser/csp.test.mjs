// CSP and clean loading: every page in sitemap.xml, served with the site's
// Content-Security-Policy, must load without a CSP violation, console error,
// uncaught page error or failed same-origin request. The same sweep runs over
// the build published under the sub-path /kennisbank/, where additionally
// every same-origin link must stay under the sub-path and resolve (no 404).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, newSession, pool } from './lib/browser.mjs';
import { serveBuild, sitemapPaths } from './lib/site.mjs';

// Two browser tabs in flight: on two cores more only adds contention.
const CONCURRENCY = Number(process.env.KADER_CSP_CONCURRENCY || 2);

let browser, root, sub;
before(async () => {
  root = await serveBuild('root');
  sub = await serveBuild('sub');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await root?.close();
  await sub?.close();
});

/**
 * Load every path, collecting problems per page and, when `collectLinks`,
 * the same-origin a[href] targets found on each page.
 */
async function sweep(site, paths, { collectLinks = false } = {}) {
  const failures = [];
  const links = new Map(); // absolute URL (no hash) -> first page linking to it
  const queue = [...paths];
  await pool(Array.from({ length: CONCURRENCY }, (_, i) => i), CONCURRENCY, async () => {
    // One context per worker, reused page after page.
    const s = await newSession(browser);
    try {
      for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
        s.reset();
        try {
          await s.goto(site.at(p));
          if (collectLinks) {
            const hrefs = await s.page.$$eval('a[href]', (as) => as.map((a) => a.href));
            for (const h of hrefs) {
              const u = new URL(h);
              if (u.origin !== site.origin) continue;
              u.hash = '';
              if (!links.has(u.href)) links.set(u.href, '/' + p);
            }
          }
          const problems = s.list();
          if (problems.length) failures.push(`/${p}:\n    ${problems.join('\n    ')}`);
        } catch (e) {
          failures.push(`/${p}: ${e.message.split('\n')[0]}${s.list().length ? '\n    ' + s.list().join('\n    ') : ''}`);
        }
      }
    } finally {
      await s.close();
    }
  });
  return { failures, links };
}

test('sitemap: every page loads clean under the CSP (site at /)', { timeout: 150_000 }, async () => {
  const paths = sitemapPaths('root');
  assert.ok(paths.length > 20, `sitemap.xml lists only ${paths.length} pages`);
  assert.ok(paths.includes('') && paths.some((p) => p.startsWith('en/')), 'sitemap.xml lacks the home page or the English pages');
  const { failures } = await sweep(root, paths);
  // The 404 pages are not in the sitemap; check them too.
  for (const p of ['bestaat-niet/', 'en/does-not-exist/']) {
    const pg = await openPage(browser, root.at(p), { expectStatus: 404 });
    const problems = pg.list();
    if (problems.length) failures.push(`/${p} (404 page):\n    ${problems.join('\n    ')}`);
    await pg.close();
  }
  assert.equal(failures.length, 0, `${failures.length} of ${paths.length + 2} pages have problems:\n  ${failures.join('\n  ')}`);
});

test('sub-path /kennisbank/: every page, asset and link works', { timeout: 150_000 }, async () => {
  assert.match(sub.mount, /^\/kennisbank\/$/, `KADER_SUB_URL should publish under /kennisbank/, not ${sub.mount}`);
  const paths = sitemapPaths('sub');
  assert.ok(paths.length > 20, `sitemap.xml lists only ${paths.length} pages`);
  const { failures, links } = await sweep(sub, paths, { collectLinks: true });

  // Every same-origin link anywhere must stay under the sub-path...
  for (const [u, from] of links) {
    if (!new URL(u).pathname.startsWith(sub.mount)) failures.push(`${from}: link ${u} leaves ${sub.mount}`);
  }
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
  assert.equal(failures.length, 0, `${failures.length} problem(s) under ${sub.mount}:\n  ${failures.join('\n  ')}`);
});

test('sub-path /kennisbank/: every link on the home pages leads to a real page', { timeout: 120_000 }, async () => {
  const site = sub;
  const bad = [];
  for (const home of ['', 'en/']) {
    const pg = await openPage(browser, site.at(home));
    try {
      const hrefs = await pg.page.$$eval('a[href]', (as) => [...new Set(as.map((a) => a.href.split('#')[0]))]);
      const same = hrefs.filter((h) => new URL(h).origin === site.origin);
      assert.ok(same.length > 10, `only ${same.length} same-origin links on /${home}`);
      // Follow each link over HTTP (redirects included): quicker than
      // rendering each page, which the sitemap sweep above already does.
      await pool(same, 6, async (h) => {
        if (!new URL(h).pathname.startsWith(site.mount)) {
          bad.push(`/${home}: ${h} is outside ${site.mount}`);
          return;
        }
        const r = await pg.context.request.get(h, { maxRedirects: 3, failOnStatusCode: false });
        const type = r.headers()['content-type'] || '';
        const notFound = type.startsWith('text/html') && /class="[^"]*\bnot-found\b/.test(await r.text());
        if (r.status() >= 400 || notFound) bad.push(`/${home}: ${h} -> HTTP ${r.status()}${notFound ? ' (the 404 page)' : ''}`);
      });
      pg.assertClean();
    } finally {
      await pg.close();
    }
  }
  assert.equal(bad.length, 0, `${bad.length} bad link(s):\n  ${bad.join('\n  ')}`);
});
