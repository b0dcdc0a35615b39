// Browser helpers: launch Debian's Chromium through playwright-core and open
// pages while recording everything that should never happen on the site.
//
//   const browser = await launch();
//   const p = await openPage(browser, url, { javaScript: true, width: 1280 });
//   ...
//   p.assertClean();          // fails listing console errors, page errors,
//                             // failed same-origin requests, CSP violations
//   await p.close();
//   await browser.close();

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Playwright refuses a --user-data-dir in `args` for launch(); instead it
// creates a fresh temporary profile directory (os.tmpdir()/playwright_chromiumdev_profile-*)
// for every launch, passes it as --user-data-dir and deletes it on close.
// That is exactly the "fresh temp user-data-dir" we want. (launchPersistentContext
// would take our own dir but allows only one context, and the no-JS tests need
// contexts with different options.)
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (run.sh does this) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

// Runs in every page before its own scripts (CDP-injected, so not subject to
// the page's CSP). Reports CSP violations through the exposed binding.
const INIT_SCRIPT = `(() => {
  const report = (e) => {
    const v = {
      directive: e.effectiveDirective || e.violatedDirective,
      blockedURI: e.blockedURI,
      source: e.sourceFile ? e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber : '',
      sample: e.sample || '',
      page: location.href,
    };
    try { window.__kaderCsp && window.__kaderCsp(v); } catch (_) {}
    (window.__kaderCspLog = window.__kaderCspLog || []).push(v);
  };
  document.addEventListener('securitypolicyviolation', report, true);
})();`;

/**
 * A fresh browser context with one page, recording problems. Navigate it with
 * `goto`; reuse it for many pages (cheaper than a context per page) with
 * `reset()` between them.
 * Options:
 *   javaScript   (true)   run the page's JavaScript
 *   width        (1280)   viewport width
 *   height       (800)
 *   waitUntil    ('load')
 *   allow        []       RegExps of problem texts to ignore
 */
export async function newSession(browser, opts = {}) {
  const { javaScript = true, width = 1280, height = 800, waitUntil = 'load', allow = [], reducedMotion = 'reduce' } = opts;
  const context = await browser.newContext({
    javaScriptEnabled: javaScript,
    viewport: { width, height },
    deviceScaleFactor: 1,
    reducedMotion,
    locale: 'nl-NL',
    serviceWorkers: 'block',
  });
  const rec = await recordProblems(context, { allow });
  await context.addInitScript(INIT_SCRIPT);
  const page = await context.newPage();
  const s = {
    page,
    context,
    javaScript,
    response: null,
    problems: rec.problems,
    /** Navigate; asserts the document's HTTP status. */
    async goto(u, { status = 200 } = {}) {
      rec.expectMainStatus(u, status);
      const r = await page.goto(u, { waitUntil });
      assert.ok(r, `no response for ${u}`);
      assert.equal(r.status(), status, `${u}: HTTP ${r.status()} (expected ${status})`);
      if (javaScript) await settle(page);
      s.response = r;
      return r;
    },
    /** Problems recorded so far, as readable lines. */
    list() {
      return rec.list();
    },
    /** Forget the problems recorded so far. */
    reset() {
      rec.problems.length = 0;
    },
    assertClean(what = page.url()) {
      const lines = rec.list();
      assert.equal(lines.length, 0, `${what}: ${lines.length} problem(s):\n  ${lines.join('\n  ')}`);
    },
    async close() {
      await context.close();
    },
  };
  return s;
}

/**
 * Open `url` in a fresh context (see newSession for options) and record
 * problems. `expectStatus` (200) is the status of the main document (404 for
 * the 404 page). Pass `fresh: true` for a context of its own; otherwise a
 * context is shared with other openPage calls with the same options (one at a
 * time: tests in a file run in sequence). Returns the session: { page,
 * context, response, list(), assertClean(), close(), goto(url) }.
 */
export async function openPage(browser, url, opts = {}) {
  if (!opts.fresh) {
    // A context costs ~0.5 s to set up, a navigation ~0.15 s: reuse one
    // context per browser and option set. Its close() only forgets problems.
    const s = await sharedSession(browser, opts);
    s.reset();
    await s.goto(url, { status: opts.expectStatus ?? 200 });
    return s;
  }
  const s = await newSession(browser, opts);
  try {
    await s.goto(url, { status: opts.expectStatus ?? 200 });
  } catch (e) {
    await s.close();
    throw e;
  }
  return s;
}

const shared = new WeakMap(); // browser -> Map(options key -> Promise<session>)
async function sharedSession(browser, opts) {
  const { javaScript = true, width = 1280, height = 800, waitUntil = 'load', allow = [], reducedMotion = 'reduce' } = opts;
  const key = JSON.stringify([javaScript, width, height, waitUntil, allow.map(String), reducedMotion]);
  let m = shared.get(browser);
  if (!m) shared.set(browser, (m = new Map()));
  if (!m.has(key)) {
    m.set(
      key,
      newSession(browser, opts).then((s) => {
        const realClose = s.close;
        s.close = async () => {
          s.reset();
          // Leave no focus, hover or open state behind for the next user.
          await s.page.goto('about:blank').catch(() => {});
        };
        s.dispose = realClose;
        return s;
      }),
    );
  }
  return m.get(key);
}

/** Give late events (securitypolicyviolation is queued as a task) a chance. */
// (Only with JavaScript on: with it off, page.evaluate in the page's world
// never runs. Without JavaScript there are no script-made violations to wait
// for; the parser's own are reported before 'load'.)
export async function settle(page) {
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
}

/**
 * Attach problem recorders to a context: console errors, page errors,
 * failed same-origin requests (4xx/5xx or network failure), CSP violations.
 */
export async function recordProblems(context, { allow = [] } = {}) {
  const problems = [];
  const expected = new Map(); // main document URL -> expected status
  const httpFailed = new Set(); // URLs already reported with an HTTP status
  const push = (kind, text) => {
    if (allow.some((re) => re.test(text))) return;
    problems.push({ kind, text });
  };
  await context.exposeBinding('__kaderCsp', (_src, v) => {
    push('csp', `CSP violation: ${v.directive} blocked ${v.blockedURI || '(inline)'}${v.source ? ' at ' + v.source : ''}${v.sample ? ' sample=' + JSON.stringify(v.sample) : ''} on ${v.page}`);
  });
  const isSameOrigin = (u, pageUrl) => {
    try {
      return new URL(u).origin === new URL(pageUrl).origin;
    } catch {
      return false;
    }
  };
  const attach = (page) => {
    page.on('console', (msg) => {
      const text = msg.text();
      const loc = msg.location();
      const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : '';
      if (/Content Security Policy/i.test(text)) {
        push('csp', `CSP console: ${text}${where}`);
      } else if (msg.type() === 'error') {
        // "Failed to load resource: the server responded with a status of N"
        // for a same-origin URL is reported (once) by the response listener
        // below, which also knows which main documents are expected 404s.
        if (/^Failed to load resource: the server responded with a status of/.test(text) && loc && loc.url && isSameOrigin(loc.url, page.url() || loc.url)) return;
        push('console', `console error: ${text}${where}`);
      }
    });
    page.on('pageerror', (err) => push('pageerror', `page error: ${err.message}`));
    page.on('response', (resp) => {
      const req = resp.request();
      const status = resp.status();
      const u = req.url();
      if (status < 400) return;
      const frame = req.frame();
      const pageUrl = frame ? frame.url() || u : u;
      if (!isSameOrigin(u, pageUrl) && !isSameOrigin(u, page.url() || u)) return;
      if (req.isNavigationRequest() && expected.get(stripHash(u)) === status) return;
      httpFailed.add(u);
      push('http', `HTTP ${status} for ${req.resourceType()} ${u}`);
    });
    page.on('requestfailed', (req) => {
      const u = req.url();
      if (!isSameOrigin(u, page.url() || u)) return;
      if (httpFailed.has(u)) return; // already reported with its status
      const f = req.failure();
      // Cancelled requests (the next navigation started before the favicon
      // or a prefetch finished) are not failures; HTTP errors were reported
      // above with their status, CSP blocks arrive as violations.
      if (f && /ERR_ABORTED/.test(f.errorText)) return;
      push('requestfailed', `request failed: ${req.resourceType()} ${u}: ${f ? f.errorText : '?'}`);
    });
  };
  context.on('page', attach);
  return {
    problems,
    expectMainStatus(u, status) {
      expected.set(stripHash(u), status);
    },
    list() {
      return problems.map((p) => p.text);
    },
  };
}

function stripHash(u) {
  const i = u.indexOf('#');
  return i === -1 ? u : u.slice(0, i);
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A short description of the focused element, for failure messages. */
export async function describeFocus(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return 'body';
    const id = e.id ? '#' + e.id : '';
    const cls = e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '';
    const txt = (e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${e.tagName.toLowerCase()}${id}${cls}${txt ? ' "' + txt + '"' : ''}`;
  });
}

/**
 * Press Tab until the focused element matches `selector` (at most `max`
 * presses). Returns the number of presses; throws with the focus trail.
 */
export async function tabTo(page, selector, { max = 200, shift = false } = {}) {
  const trail = [];
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return i;
    if (trail.length < 400) trail.push(await describeFocus(page));
  }
  throw new Error(`Tab did not reach ${selector} in ${max} presses; focus went:\n  ${trail.slice(0, 60).join('\n  ')}${trail.length > 60 ? '\n  ...' : ''}`);
}

/**
 * What makes the page wider than the viewport (reflow problems): the deepest
 * elements whose content overflows them sideways without a scroll container,
 * with their longest word (long Dutch compounds are the usual suspect).
 */
export async function overflowingElements(page, limit = 5) {
  return page.evaluate((limit) => {
    const spills = (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible';
    const all = [...document.querySelectorAll('body *')].filter(spills);
    const deepest = all.filter((el) => !all.some((o) => o !== el && el.contains(o)));
    const d = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
    return deepest.slice(0, limit).map((el) => {
      const words = (el.textContent || '').split(/\s+/).sort((a, b) => b.length - a.length);
      return `${d(el)}: content ${el.scrollWidth}px wide in a ${el.clientWidth}px box; longest word "${words[0] || ''}"`;
    });
  }, limit);
}
