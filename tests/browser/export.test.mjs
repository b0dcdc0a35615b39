// The "Exporteer" menu (templates/partials/export_menu.html,
// static/kader-export.js, kader-export.wasm): filter the requirements
// overview, export XLSX and ODS through the menu (the downloads captured),
// read the files back with tests/readers/sheet.py (openpyxl, odfpy) and
// compare with exactly the rows shown; the checklist of "Vereisten voor
// jou" with a profile; the menu without JavaScript; a screenshot of the
// open menu; no CSP violations or console errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { launch, openPage } from './lib/browser.mjs';
import { serveBuild, SCREENSHOT_DIR, ensureDir, HERE } from './lib/site.mjs';
import { missing } from './lib/skip.mjs';

const READER = path.join(HERE, '..', 'readers', 'sheet.py');

let browser, root, tmp;
before(async () => {
  root = await serveBuild('root');
  browser = await launch();
  ensureDir(SCREENSHOT_DIR);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-export-'));
});
after(async () => {
  await browser?.close();
  await root?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function readersMissing(t) {
  try {
    execFileSync('python3', ['-c', 'import openpyxl, odf'], { stdio: 'ignore' });
    return false;
  } catch {
    return missing(t, 'readers', 'python3 with openpyxl and odfpy is missing', 'scripts/test installs them (pip install openpyxl==3.1.5 odfpy==1.4.1)');
  }
}

function read(file) {
  return JSON.parse(execFileSync('python3', [READER, file], { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

/** Exports through the menu's button for `format`; the downloaded file's path. */
async function exportVia(page, menu, format) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.locator(`${menu} button[data-format="${format}"]`).click(),
  ]);
  const file = path.join(tmp, `${format}-${Date.now()}.${format}`);
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

test('a filtered overview exports exactly the rows shown, as XLSX and ODS', async (t) => {
  if (readersMissing(t)) return;
  const s = await openPage(browser, root.at('vereisten/'));
  const { page } = s;
  await page.fill('[data-filter-text]', 'AI');
  const select = page.locator('select[data-filter-key="levenscyclus"]');
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  // A phase that leaves some rows but not all.
  let shown = [];
  for (const v of options) {
    await select.selectOption(v);
    shown = await page.$$eval('tbody tr[data-key]', (rs) => rs.filter((r) => !r.hidden).map((r) => ({
      id: r.querySelector('.cell-id')?.textContent.trim() ?? '',
      title: r.querySelector('.cell-title a').textContent.replace(/\s+/g, ' ').trim(),
    })));
    const total = await page.$$eval('tbody tr[data-key]', (rs) => rs.length);
    if (shown.length > 1 && shown.length < total) break;
  }
  assert.ok(shown.length > 1, 'the filters leave some rows');
  const menu = '.list details[data-export]';
  await page.click(`${menu} > summary`);
  await page.waitForSelector(`${menu}[data-export-ready]`);
  assert.equal(await page.isVisible(`${menu} [data-export-live]`), true);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'export-menu.png'), clip: await page.locator(menu).boundingBox().then((b) => ({ x: 0, y: Math.max(0, b.y - 120), width: 1280, height: Math.min(800, b.height + 220) })) });
  for (const format of ['xlsx', 'ods']) {
    const { file, name } = await exportVia(page, menu, format);
    assert.match(name, new RegExp(`^vereisten-\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
    const book = read(file);
    assert.equal(book.sheets.length, 2, format);
    const sheet = book.sheets[1];
    const rows = sheet.rows.slice(1).map((r) => ({ id: r[0], title: r[1] }));
    assert.deepEqual(rows, shown, `${format}: exactly the visible rows, in order`);
    assert.equal(sheet.header_bold, true);
    assert.equal(sheet.frozen, 'A2');
    assert.ok(sheet.autofilter, `${format}: an autofilter`);
    assert.equal(Object.keys(sheet.links).length, shown.length, `${format}: every title links`);
    const about = JSON.stringify(book.sheets[0].rows);
    assert.ok(about.includes('AI'), `${format}: the search text is on the explanation sheet`);
    assert.ok(about.includes('Levenscyclus'), `${format}: the column filter is on the explanation sheet`);
  }
  const status = await page.textContent(`${menu} [data-export-status]`);
  assert.match(status, new RegExp(`\\(${shown.length} `));
  s.assertClean();
});

test('Vereisten voor jou exports its checklist for the profile in the URL', async (t) => {
  if (readersMissing(t)) return;
  const s = await openPage(browser, root.at('vereisten-voor-jou/?rol-ai-act=aanbieder&risicogroep=hoog-risico-ai-systeem'));
  const { page } = s;
  await page.waitForSelector('[data-profile][data-profile-ready]');
  const keys = await page.$$eval('.grouped-item[data-key]', (items) => items.filter((i) => !i.hidden && !i.closest('[hidden]')).length);
  const menu = 'details[data-export][data-mode="checklist"]';
  await page.click(`${menu} > summary`);
  await page.waitForSelector(`${menu}[data-export-ready]`);
  const { file } = await exportVia(page, menu, 'ods');
  const book = read(file);
  const sheet = book.sheets[1];
  const kinds = sheet.rows.slice(1).map((r) => r[0]);
  assert.equal(kinds.filter((k) => k === 'Vereiste').length, keys, 'the requirements shown');
  assert.ok(kinds.includes('Maatregel'), 'with their measures');
  assert.deepEqual(sheet.validations[0].choices, ['Te doen', 'Bezig', 'Gereed', 'Niet van toepassing']);
  assert.ok(JSON.stringify(book.sheets[0].rows).includes('Aanbieder'), 'the profile on the first sheet');
  s.assertClean();
});

test('without JavaScript the menu offers the build-time files', async () => {
  const s = await openPage(browser, root.at('vereisten/'), { javaScript: false });
  const { page } = s;
  await page.click('details[data-export] > summary');
  assert.equal(await page.isVisible('[data-export-live]'), false);
  const hrefs = await page.$$eval('details[data-export] a[download]', (as) => as.map((a) => a.href));
  assert.deepEqual(hrefs.map((h) => h.split('/').pop()), ['kennisbank.xlsx', 'kennisbank.ods', 'kennisbank.csv']);
  for (const h of hrefs) {
    const r = await page.request.get(h);
    assert.equal(r.status(), 200, h);
  }
  s.assertClean();
});
