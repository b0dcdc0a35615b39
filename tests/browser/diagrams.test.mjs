// The dialect of the algoritmekader corpus under the site's CSP: the
// lifecycle diagram (a Mermaid flowchart drawn at build time) as an SVG
// whose phases are working links, by mouse and keyboard, with its text
// alternative; the editors' inline styles kept working as classes; an icon
// shortcode as an SVG. axe on the page, no sideways scrolling at 390 px,
// screenshots at 390 and 1366 px.
//
// The corpus (../shared/corpus/algoritmekader, or KADER_SHARED) is built
// here with the binary run.sh built, and the icon packages of
// tests/icons (scripts/test installs them).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, openPage, tabTo, overflowingElements } from './lib/browser.mjs';
import { HERE, SCREENSHOT_DIR, ensureDir } from './lib/site.mjs';
import { startServer, freePort } from './lib/server.mjs';
import { runAxe, formatViolations } from './lib/axe.mjs';
import { missing } from './lib/skip.mjs';

const REPO = path.resolve(HERE, '../..');
const SHARED = process.env.KADER_SHARED || path.join(REPO, '..', 'shared');
const CORPUS = path.join(SHARED, 'corpus', 'algoritmekader');
const ICONS = path.join(REPO, 'tests', 'icons', 'node_modules');
const LIFECYCLE = 'levenscyclus/over-de-levenscyclus/';
const PHASES = [
  'organisatieverantwoordelijkheden',
  'probleemanalyse',
  'ontwerp',
  'dataverkenning-en-datapreparatie',
  'ontwikkelen',
  'verificatie-en-validatie',
  'implementatie',
  'monitoring-en-beheer',
  'uitfaseren',
];

let browser;
let site; // { url, at(path), close() } or null when the corpus is missing
let work;

before(async () => {
  browser = await launch();
  if (!fs.existsSync(path.join(CORPUS, 'mkdocs.yml')) || !fs.existsSync(path.join(ICONS, '@mdi', 'svg'))) {
    site = null;
    return;
  }
  const bin = process.env.KADER_BIN_PATH || path.join(REPO, 'target', 'release', 'kader');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/Algoritmekader/`;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-corpus-'));
  const out = path.join(work, 'site');
  execFileSync(bin, ['build', '--quiet', '--root', CORPUS, '--out', out, '--base-url', base, '--icons', ICONS], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const srv = await startServer({ root: out, mount: '/Algoritmekader/', port });
  site = { ...srv, at: (p = '') => srv.url + String(p).replace(/^\/+/, '') };
});

after(async () => {
  await browser?.close();
  await site?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** The corpus site, or null (after `missing`) when it cannot be built here. */
function corpus(t) {
  if (site) return site;
  if (!fs.existsSync(path.join(CORPUS, 'mkdocs.yml'))) {
    missing(t, 'shared', `the corpus is not at ${CORPUS}`, "Put the project's shared/ folder beside the repository, or set KADER_SHARED to it.");
  } else {
    missing(t, 'icons', `the icon packages are not installed in ${ICONS}`, 'Run `npm ci --prefix tests/icons` (scripts/test does).');
  }
  return null;
}

test('the lifecycle diagram is an SVG whose phases are links, under the CSP', async (t) => {
  const s = corpus(t);
  if (!s) return;
  const p = await openPage(browser, s.at(LIFECYCLE), { width: 1366, height: 900, fresh: true });
  try {
    const svg = p.page.locator('svg.diagram-svg');
    await svg.waitFor();
    const box = await svg.boundingBox();
    assert.ok(box.width > 200 && box.height > 400, `drawn at ${box.width}x${box.height}`);
    const hrefs = await p.page.$$eval('svg.diagram-svg a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual([...hrefs].sort(), PHASES.map((ph) => `/Algoritmekader/levenscyclus/${ph}/`).sort());
    // kader.css styles the shapes (no inline style needed): a clickable
    // phase is filled with the accent colour, its label white.
    const fill = await p.page.$eval('svg.diagram-svg .diagram-link .diagram-shape', (el) => getComputedStyle(el).fill);
    assert.equal(fill, 'rgb(1, 104, 155)');
    assert.equal(await p.page.$$eval('[style]', (els) => els.length), 0, 'no element has a style attribute');
    // The subgraphs are drawn with their titles.
    const titles = await p.page.$$eval('.diagram-cluster-title', (els) => els.map((e) => e.textContent));
    assert.deepEqual(titles, ['organisatieniveau', 'systeemniveau']);
    const v = await runAxe(p.page);
    assert.equal(v.length, 0, formatViolations(v, LIFECYCLE));
    p.assertClean();

    // A click on a phase opens its page.
    await p.page.locator('svg.diagram-svg a', { hasText: '2. Ontwerp' }).click();
    await p.page.waitForURL(/\/levenscyclus\/ontwerp\/$/);
    assert.match(await p.page.locator('main h1').innerText(), /Ontwerp/);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('the phases of the diagram are reached and followed by keyboard', async (t) => {
  const s = corpus(t);
  if (!s) return;
  const p = await openPage(browser, s.at(LIFECYCLE), { width: 1366, height: 900, fresh: true });
  try {
    const target = 'svg.diagram-svg a[href$="/verificatie-en-validatie/"]';
    await tabTo(p.page, target);
    const ring = await p.page.$eval(`${target} .diagram-shape`, (el) => getComputedStyle(el).stroke);
    assert.equal(ring, 'rgb(255, 182, 18)', 'the focused phase shows the focus colour');
    await p.page.keyboard.press('Enter');
    await p.page.waitForURL(/\/levenscyclus\/verificatie-en-validatie\/$/);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('the text alternative lists the phases with their links', async (t) => {
  const s = corpus(t);
  if (!s) return;
  const p = await openPage(browser, s.at(LIFECYCLE), { width: 1366, height: 900 });
  try {
    const details = p.page.locator('details.diagram-text');
    await details.locator('summary').click();
    const items = details.locator('a');
    assert.equal(await items.count(), 9);
    assert.ok(await items.first().isVisible());
    const text = await details.innerText();
    assert.match(text, /organisatieniveau/);
    // Each phase with where it leads, in the order of the drawing.
    assert.match(text, /7\. Monitoring en beheer\n→\s*naar\s*1\. Probleemanalyse\n→\s*naar\s*8\. Uitfaseren/);
    assert.ok(text.indexOf('2. Ontwerp\n→') < text.indexOf('7. Monitoring en beheer\n→'), 'phases in the order of the drawing');
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('at 390 px the page does not scroll sideways and the diagram fits', async (t) => {
  const s = corpus(t);
  if (!s) return;
  ensureDir(SCREENSHOT_DIR);
  for (const width of [390, 1366]) {
    const p = await openPage(browser, s.at(LIFECYCLE), { width, height: 900 });
    try {
      const { sw, cw } = await p.page.evaluate(() => ({
        sw: document.documentElement.scrollWidth,
        cw: document.documentElement.clientWidth,
      }));
      assert.ok(sw <= cw, `${width}px: scrollWidth ${sw} > clientWidth ${cw}: ${(await overflowingElements(p.page)).join('; ')}`);
      const box = await p.page.locator('svg.diagram-svg').boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= cw, `${width}px: the diagram spans ${box.x}..${box.x + box.width}`);
      await p.page.screenshot({ path: path.join(SCREENSHOT_DIR, `corpus-lifecycle-${width}.png`), fullPage: true });
      if (width === 390) {
        const v = await runAxe(p.page);
        assert.equal(v.length, 0, formatViolations(v, `${LIFECYCLE} at 390 px`));
      }
      p.assertClean();
    } finally {
      await p.close();
    }
  }
});

test('inline styles of the content work under the CSP, in columns only on wide screens', async (t) => {
  const s = corpus(t);
  if (!s) return;
  for (const [width, columns] of [
    [1366, 2],
    [390, 1],
  ]) {
    const p = await openPage(browser, s.at(''), { width, height: 900 });
    try {
      const banner = await p.page.$eval('#announcement-banner', (el) => getComputedStyle(el).backgroundColor);
      assert.equal(banner, 'rgb(226, 237, 219)', 'the banner keeps its colour');
      const tracks = await p.page.$eval('.responsive-grid-2', (el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
      assert.equal(tracks, columns, `${width}px: grid columns`);
      p.assertClean();
    } finally {
      await p.close();
    }
  }
});

test('an icon shortcode is an inline SVG the size of the text', async (t) => {
  const s = corpus(t);
  if (!s) return;
  const p = await openPage(browser, s.at('voldoen-aan-wetten-en-regels/maatregelen/5-ver-03-biasanalyse/'), { width: 1366, height: 900 });
  try {
    const icons = p.page.locator('main svg.icon');
    assert.equal(await icons.count(), 2);
    const { w, font, hidden } = await icons.first().evaluate((el) => ({
      w: el.getBoundingClientRect().width,
      font: parseFloat(getComputedStyle(el).fontSize),
      hidden: el.getAttribute('aria-hidden'),
    }));
    assert.ok(Math.abs(w - 1.2 * font) < 1, `icon ${w}px wide at font-size ${font}px`);
    assert.equal(hidden, 'true');
    p.assertClean();
  } finally {
    await p.close();
  }
});
