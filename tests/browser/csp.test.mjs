// CSP and clean loading: every page in sitemap.xml, served with the site's
// Content-Security-Policy, must load without a CSP violation, console error,
// uncaught page error or failed same-origin request.
//
// The build published under the sub-path /kennisbank/:
// - one page of every template (nl + en, lib/pages.mjs) and the 404 pages
//   are rendered with the same problem recording, so that requests made by
//   scripts (search index, wasm) are covered; KADER_FULL_SWEEP=1 renders every
//   page there too (about a minute more);
// - every page's HTML is fetched and every URL in it (href, src, action and
//   data-* attributes holding a path) must stay under /kennisbank/ and
//   resolve without an error;
// - every link on the two home pages must lead to a real page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, newSession, pool } from './lib/browser.mjs';
import { serveBuild, sitemapPaths } from './lib/site.mjs';
import { pageList, pagesInBuild } from './lib/pages.mjs';

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

test('sitemap: every page loads clean under the CSP (site at /)', { timeout: 300_000 }, async () => {
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

test('sub-path /kennisbank/: the template pages load clean', { timeout: 300_000 }, async (t) => {
  assert.match(sub.mount, /^\/kennisbank\/$/, `KADER_SUB_URL should publish under /kennisbank/, not ${sub.mount}`);
  const full = process.env.KADER_FULL_SWEEP === '1';
  const paths = full ? sitemapPaths('sub') : [...new Set(pagesInBuild(t, sub.dir, pageList((tpl) => !tpl.status)).map((p) => p.path))];
  assert.ok(paths.length > 10, `only ${paths.length} pages to check`);
  const { failures } = await sweep(sub, paths);
  for (const p of ['bestaat-niet/', 'en/does-not-exist/']) {
    const pg = await openPage(browser, sub.at(p), { expectStatus: 404 });
    const problems = pg.list();
    if (problems.length) failures.push(`/${p} (404 page):\n    ${problems.join('\n    ')}`);
    await pg.close();
  }
  assert.equal(failures.length, 0, `${failures.length} of ${paths.length + 2} pages have problems under ${sub.mount}:\n  ${failures.join('\n  ')}`);
});

// URLs in a page's HTML: href/src/action (resolved against the page) and
// data-* attributes whose value is a root-relative or same-origin URL.
function urlsInHtml(html, pageUrl, origin) {
  const out = [];
  const re = /\s(href|src|action|poster|data-[\w-]+)\s*=\s*("([^"]*)"|'([^']*)')/gi;
  for (const m of html.matchAll(re)) {
    const attr = m[1].toLowerCase();
    const raw = (m[3] ?? m[4] ?? '').replace(/&amp;/g, '&').trim();
    if (!raw) continue;
    const isData = attr.startsWith('data-');
    if (isData && !(raw.startsWith('/') || raw.startsWith(origin + '/'))) continue;
    if (!isData && /^(#|mailto:|tel:|javascript:|data:)/i.test(raw)) continue;
    let u;
    try {
      u = new URL(raw, pageUrl);
    } catch {
      out.push({ attr, raw, url: null });
      continue;
    }
    if (u.origin !== origin) continue;
    // A search index is a folder: what must exist is its meta file.
    if (attr === 'data-index') u = new URL('meta.bin', u);
    u.hash = '';
    out.push({ attr, raw, url: u.href });
  }
  return out;
}

test('sub-path /kennisbank/: every URL in every page stays under the sub-path and resolves', { timeout: 120_000 }, async () => {
  const paths = sitemapPaths('sub');
  assert.ok(paths.length > 20, `sitemap.xml lists only ${paths.length} pages`);
  const failures = [];
  const targets = new Map(); // url -> first "page attr=raw"
  await pool(paths, 8, async (p) => {
    const r = await fetch(sub.at(p));
    if (r.status !== 200) {
      failures.push(`/${p}: HTTP ${r.status}`);
      return;
    }
    for (const { attr, raw, url } of urlsInHtml(await r.text(), sub.at(p), sub.origin)) {
      if (!url) failures.push(`/${p}: ${attr}="${raw}" is not a valid URL`);
      else if (!new URL(url).pathname.startsWith(sub.mount)) failures.push(`/${p}: ${attr}="${raw}" leaves ${sub.mount}`);
      else if (!targets.has(url)) targets.set(url, `/${p} ${attr}="${raw}"`);
    }
  });
  assert.ok(targets.size > 50, `only ${targets.size} distinct URLs found in ${paths.length} pages`);
  await pool([...targets], 8, async ([u, from]) => {
    const r = await fetch(u, { redirect: 'follow' });
    await r.arrayBuffer();
    if (r.status >= 400) failures.push(`${from} -> HTTP ${r.status}`);
  });
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
