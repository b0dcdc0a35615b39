// Full-page screenshots of every template (nl + en) at 1280 and 390 px into
// tests/browser/out/screenshots/, with sanity checks (not blank, no sideways
// scrolling on a phone), and a pixel-diff against the committed baselines in
// tests/browser/baselines/ for a few stable pages.
//
// Update the baselines after an intended visual change:
//   KADER_UPDATE_BASELINES=1 bash tests/browser/run.sh screenshots
// Skip the comparison (screenshots are still taken): KADER_VISUAL=0

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';
import { openPage, overflowingElements } from './lib/browser.mjs';
import { siteAndBrowser } from './lib/suite.mjs';
import { SCREENSHOT_DIR, BASELINE_DIR, OUT_DIR, ensureDir } from './lib/site.mjs';
import { pageList, skipMissingPage } from './lib/pages.mjs';
import { missing } from './lib/skip.mjs';

export const WIDTHS = [1280, 390];

// Compared pixel by pixel with a baseline: the main content of the 404 pages,
// which depends on the theme (fonts, colours, spacing) but not on the content
// or on the menu, so that content and navigation edits do not fail it.
export const VISUAL = [
  { id: '404-nl', width: 1280, selector: 'main' },
  { id: '404-en', width: 390, selector: 'main' },
];
// pixelmatch per-pixel colour threshold, and the share of pixels allowed to differ.
const THRESHOLD = 0.1;
const MAX_DIFF_RATIO = 0.002;

const UPDATE = process.env.KADER_UPDATE_BASELINES === '1';
const VISUAL_ON = process.env.KADER_VISUAL !== '0';

const env = siteAndBrowser();

async function shoot(pg, width, visual) {
  const p = await openPage(env.browser, env.site.at(pg.path), { width, height: width < 600 ? 844 : 800, expectStatus: pg.status });
  try {
    const { page } = p;
    await page.evaluate(() => document.fonts.ready);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const culprits = overflow > 0 ? await overflowingElements(page) : [];
    const file = path.join(SCREENSHOT_DIR, `${pg.id}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' });
    let visualFile = null;
    if (visual) {
      visualFile = path.join(SCREENSHOT_DIR, `visual-${pg.id}-${width}.png`);
      await page.mouse.move(0, 0);
      await page.locator(visual.selector).first().screenshot({ path: visualFile, animations: 'disabled', caret: 'hide', scale: 'css' });
    }
    return { file, visualFile, overflow, culprits, problems: p.list() };
  } finally {
    await p.close();
  }
}

/** Width and height from a PNG's IHDR chunk, without decoding the image. */
function pngSize(buf) {
  assert.equal(buf.toString('latin1', 1, 4), 'PNG', 'not a PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

for (const pg of pageList()) {
  for (const width of WIDTHS) {
    test(`screenshot: ${pg.id} @${width}px /${pg.path}`, { timeout: 60_000 }, async (t) => {
      if (skipMissingPage(t, env.site.dir, pg)) return;
      const v = VISUAL_ON ? VISUAL.find((x) => x.id === pg.id && x.width === width) : null;
      const { file, visualFile, overflow, culprits, problems } = await shoot(pg, width, v);
      assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at ${width}px (WCAG 1.4.10 reflow); sticking out:\n  ${culprits.join('\n  ')}`);
      const buf = fs.readFileSync(file);
      const { width: w, height: h } = pngSize(buf);
      assert.equal(w, width, `screenshot is ${w}px wide`);
      assert.ok(h >= 300, `screenshot only ${h}px tall`);
      // A blank or nearly empty page compresses to almost nothing: a real
      // page (even the 404 page, with header and footer) is well above 1 byte
      // per 40 pixels.
      assert.ok(buf.length > (w * h) / 40, `screenshot looks blank (${buf.length} bytes for ${w}x${h}): ${file}`);
      assert.equal(problems.length, 0, problems.join('\n'));

      if (!v) return;
      const baseFile = path.join(BASELINE_DIR, `${pg.id}-${width}-${v.selector.replace(/[^a-z0-9]+/gi, '')}.png`);
      if (UPDATE) {
        ensureDir(BASELINE_DIR);
        fs.copyFileSync(visualFile, baseFile);
        t.diagnostic(`baseline updated: ${baseFile}`);
        return;
      }
      if (!fs.existsSync(baseFile)) {
        const fix = 'Create it with `KADER_UPDATE_BASELINES=1 bash tests/browser/run.sh screenshots`, look at it and commit it.';
        if (missing(t, 'baselines', `the visual baseline ${path.relative(process.cwd(), baseFile)} is missing`, fix)) return;
      }
      const png = PNG.sync.read(fs.readFileSync(visualFile));
      const base = PNG.sync.read(fs.readFileSync(baseFile));
      const hint = 'if the change is intended: KADER_UPDATE_BASELINES=1 bash tests/browser/run.sh screenshots';
      assert.equal(`${png.width}x${png.height}`, `${base.width}x${base.height}`, `${pg.id}@${width}: size differs from the baseline (${hint})`);
      const diff = new PNG({ width: png.width, height: png.height });
      const n = pixelmatch(png.data, base.data, diff.data, png.width, png.height, { threshold: THRESHOLD });
      const ratio = n / (png.width * png.height);
      if (ratio > MAX_DIFF_RATIO) {
        const diffDir = ensureDir(path.join(OUT_DIR, 'diff'));
        const diffFile = path.join(diffDir, `${pg.id}-${width}.png`);
        fs.writeFileSync(diffFile, PNG.sync.write(diff));
        assert.fail(`${pg.id}@${width}: ${n} pixels (${(ratio * 100).toFixed(2)}%) differ from ${baseFile}; diff image: ${diffFile} (${hint})`);
      }
      t.diagnostic(`${pg.id}@${width}: ${n} pixels differ from the baseline (allowed ${Math.floor(MAX_DIFF_RATIO * png.width * png.height)})`);
    });
  }
}
