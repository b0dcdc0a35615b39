// The setup most test files share: the site built at `/` served on a free
// port, one headless Chromium, and the screenshot folder; closed after the
// file's tests. Use as `const env = siteAndBrowser();` at the top level and
// read `env.site` and `env.browser` inside tests.
import { before, after } from 'node:test';
import { launch } from './browser.mjs';
import { serveBuild, SCREENSHOT_DIR, ensureDir } from './site.mjs';

export function siteAndBrowser(which = 'root') {
  const env = { site: null, browser: null };
  before(async () => {
    env.site = await serveBuild(which);
    env.browser = await launch();
    ensureDir(SCREENSHOT_DIR);
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}
