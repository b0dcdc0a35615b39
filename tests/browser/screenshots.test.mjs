// Full-page screenshots of every template (nl + en) at 1280 and 390 px into
// tests/browser/out/screenshots/, with sanity checks (not blank, no sideways
// scrolling on a phone), and a pixel-diff against the committed baselines in
// tests/browser/baselines/ for a few stable pages.
//
// Update the baselines after an intended visual change:
//   KADER_UPDATE_BASELINES=1 bash tests/browser/run.sh screenshots
// Skip the comparison (screenshots are still taken): KADER_VISUAL=0

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';
import { launch, openPage } from './lib/browser.mjs';
import { serveBuild, inBuild, SCREENSHOT_DIR, BASELINE_DIR, OUT_DIR, ensureDir } from './lib/site.mjs';
import { pageList } from './lib/pages.mjs';

export const WIDTHS = [1280, 390];

// Pages compared pixel by pixel with a baseline: only pages whose look hardly
// depends on content, so that a content edit elsewhere does not fail them.
export const VISUAL = [
  { id: '404-nl', width: 1280 },
  { id: '404-en', width: 390 },
];
// pixelmatch per-pixel colour threshold, and the share of pixels allowed to differ.
const THRESHOLD = 0.1;
const MAX_DIFF_RATIO = 0.002;

const UPDATE = process.env.KADER_UPDATE_BASELINES === '1';
const VISUAL_ON = process.env.KADER_VISUAL !== '0';

let browser, site;
before(async () => {
  site = await serveBuild('root');
  browser = await launch();
  ensureDir(SCREENSHOT_DIR);
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function shoot(pg, width) {
  const p = await openPage(browser, site.at(pg.path), { width, height: width < 600 ? 844 : 800, expectStatus: pg.status });
  try {
    const { page } = p;
    await page.evaluate(() => document.fonts.ready);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const file = path.join(SCREENSHOT_DIR, `${pg.id}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide', scale: 'css' });
    return { file, overflow, problems: p.list() };
  } finally {
    await p.close();
  }
}

/** Fraction of pixels that are not (near) the dominant colour: catches blank pages. */
function inkRatio(png) {
  const counts = new Map();
  const d = png.data;
  for (let i = 0; i < d.length; i += 4 * 7) {
    const k = (d[i] >> 4) | ((d[i + 1] >> 4) << 4) | ((d[i + 2] >> 4) << 8);
    counts.set(k, (counts.get(k) || 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const top = Math.max(...counts.values());
  return { ink: 1 - top / total, colours: counts.size };
}

for (const pg of pageList()) {
  for (const width of WIDTHS) {
    test(`screenshot: ${pg.id} @${width}px /${pg.path}`, { timeout: 60_000 }, async (t) => {
      if (pg.optional && !inBuild(site.dir, pg.path)) {
        t.skip(`/${pg.path} is not in the build`);
        return;
      }
      const { file, overflow, problems } = await shoot(pg, width);
      const png = PNG.sync.read(fs.readFileSync(file));
      assert.equal(png.width, width, `screenshot is ${png.width}px wide`);
      assert.ok(png.height >= 300, `screenshot only ${png.height}px tall`);
      const { ink, colours } = inkRatio(png);
      assert.ok(ink > 0.02 && colours > 8, `screenshot looks blank (${(ink * 100).toFixed(1)}% ink, ${colours} colours): ${file}`);
      assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at ${width}px (WCAG 1.4.10 reflow)`);
      assert.equal(problems.length, 0, problems.join('\n'));

      const v = VISUAL.find((x) => x.id === pg.id && x.width === width);
      if (!v || !VISUAL_ON) return;
      const baseFile = path.join(BASELINE_DIR, `${pg.id}-${width}.png`);
      if (UPDATE) {
        ensureDir(BASELINE_DIR);
        fs.copyFileSync(file, baseFile);
        t.diagnostic(`baseline updated: ${baseFile}`);
        return;
      }
      if (!fs.existsSync(baseFile)) {
        t.skip(`no baseline ${path.relative(process.cwd(), baseFile)}; create it with KADER_UPDATE_BASELINES=1`);
        return;
      }
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
