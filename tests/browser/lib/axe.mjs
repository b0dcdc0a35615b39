// axe-core under the site's CSP.
//
// page.addScriptTag({ path }) does not work here: Playwright reads the file and
// inserts an *inline* <script>, which `script-src 'self'` blocks (the page
// logs "Executing inline script violates ... Content Security Policy" and
// addScriptTag throws). a11y.test.mjs has a test proving this. Instead the
// axe source is evaluated through the DevTools protocol (page.evaluate ->
// Runtime.evaluate), which the page's CSP does not govern. Nothing else about
// the page changes: its CSP stays fully in force for its own resources, so no
// bypassCSP is needed and CSP problems stay visible.

import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
let source = null;

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function injectAxe(page) {
  if (await page.evaluate(() => typeof window.axe === 'object').catch(() => false)) return;
  source ??= fs.readFileSync(AXE_PATH, 'utf8');
  await page.evaluate(source);
}

/** Run axe on the page; returns the violations array. */
export async function runAxe(page, { tags = WCAG_TAGS, exclude = [] } = {}) {
  await injectAxe(page);
  const res = await page.evaluate(
    async ({ tags, exclude }) => {
      const ctx = exclude.length ? { include: [document], exclude: exclude.map((s) => [s]) } : document;
      const r = await window.axe.run(ctx, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
      }));
    },
    { tags, exclude },
  );
  return res;
}

/** Human-readable violation report. */
export function formatViolations(violations, where = '') {
  const lines = [];
  for (const v of violations) {
    lines.push(`[${v.impact || 'n/a'}] ${v.id}: ${v.help}`);
    lines.push(`    ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`    - ${n.target.join(' ')}`);
      lines.push(`      ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (n.summary) lines.push(`      ${n.summary.replace(/\s*\n\s*/g, ' | ').slice(0, 300)}`);
    }
    if (v.nodes.length > 8) lines.push(`    ... and ${v.nodes.length - 8} more`);
  }
  return `${where}${where ? ': ' : ''}${violations.length} axe violation(s)\n` + lines.join('\n');
}
