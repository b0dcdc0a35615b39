// kader serve in a real browser: a page open in the browser changes when
// its file is edited on disk (no manual reload), and a broken save shows
// the error overlay until it is fixed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, newSession } from './lib/browser.mjs';
import { SCREENSHOT_DIR, ensureDir, HERE } from './lib/site.mjs';

const REPO = path.resolve(HERE, '..', '..');
const BIN = process.env.KADER_BIN_PATH || path.join(REPO, 'target', 'debug', 'kader');

let browser, server, root, base;

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name), b = path.join(to, e.name);
    if (e.isDirectory()) copyDir(a, b); else fs.copyFileSync(a, b);
  }
}

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-serve-'));
  copyDir(path.join(REPO, 'tests', 'fixtures', 'directives'), root);
  server = spawn(BIN, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'ignore', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('kader serve did not start: ' + buf)), 30_000);
    server.stderr.on('data', (d) => {
      buf += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(buf);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => reject(new Error('kader serve exited with ' + code + ': ' + buf)));
  });
  browser = await launch();
  ensureDir(SCREENSHOT_DIR);
});

after(async () => {
  await browser?.close();
  server?.kill();
  fs.rmSync(root, { recursive: true, force: true });
});

test('an edit on disk changes the open page; a broken save shows the overlay', { timeout: 60_000 }, async () => {
  const s = await newSession(browser, {});
  try {
    const { page } = s;
    await s.goto(base + 'vereisten/aia-01-logging/');
    await page.waitForFunction(() => document.querySelector('script[src="/__kader/livereload.js"]'));
    // Give the event stream a moment to connect.
    await page.waitForTimeout(300);
    await page.evaluate(() => window.scrollTo(0, 200));
    const file = path.join(root, 'content', 'vereisten', 'aia-01-logging.md');
    const text = fs.readFileSync(file, 'utf8');

    fs.writeFileSync(file, text.replace('title: Logs worden bewaard', 'title: Logs blijven bewaard'));
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('Logs blijven bewaard'), null, { timeout: 15_000 });

    fs.writeFileSync(file, text.replace('title: Logs worden bewaard', 'title: [Logs'));
    const overlay = page.locator('#kader-overlay');
    await overlay.waitFor({ timeout: 15_000 });
    const shown = await overlay.innerText();
    assert.match(shown, /content\/vereisten\/aia-01-logging\.md:\d+:\d+/);
    assert.match(shown, /K0101/);
    assert.match(await page.locator('main h1').innerText(), /Logs blijven bewaard/, 'the last good page stays');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'serve-error-overlay-1280.png') });

    fs.writeFileSync(file, text);
    await overlay.waitFor({ state: 'detached', timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('Logs worden bewaard'), null, { timeout: 15_000 });
    s.assertClean();
  } finally {
    await s.close();
  }
});
