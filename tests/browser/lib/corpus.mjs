// The real knowledge base (../shared/corpus/algoritmekader, or under
// KADER_SHARED), built by the kader binary under test into a temporary
// folder and served under its own base path, for the tests that look at it
// as a visitor would. Without the corpus the test fails, unless
// KADER_ALLOW_SKIP names `shared` (as in the Rust suite).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { HERE } from './site.mjs';
import { startServer, freePort } from './server.mjs';
import { missing } from './skip.mjs';

/** The corpus folder (it may not exist). */
export function corpusRoot() {
  const shared = process.env.KADER_SHARED || path.join(HERE, '..', '..', '..', 'shared');
  return path.join(shared, 'corpus', 'algoritmekader');
}

/**
 * Builds and serves the corpus; `null` when it is missing and
 * KADER_ALLOW_SKIP allows `shared` (the test is then skipped). Returns
 * { dir, url, at(path), close() }.
 */
export async function serveCorpus(t) {
  const root = corpusRoot();
  if (!fs.existsSync(path.join(root, 'mkdocs.yml'))) {
    missing(t, 'shared', `the corpus is not at ${root}`, 'Put the project\'s shared/ folder beside the repository, or set KADER_SHARED to it.');
    return null;
  }
  const bin = process.env.KADER_BIN_PATH;
  if (!bin) throw new Error('KADER_BIN_PATH is not set: run the suite with tests/browser/run.sh');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/Algoritmekader/`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-corpus-'));
  const out = path.join(dir, 'site');
  execFileSync(bin, ['build', '--quiet', '--root', root, '--out', out, '--base-url', url], { stdio: ['ignore', 'ignore', 'inherit'] });
  const srv = await startServer({ root: out, mount: '/Algoritmekader/', port });
  return {
    dir: out,
    url,
    at: (p = '') => srv.url + String(p).replace(/^\/+/, ''),
    close: async () => {
      await srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Site paths of a build's sitemap (relative to its base path). */
export function sitemapOf(dir, url) {
  const xml = fs.readFileSync(path.join(dir, 'sitemap.xml'), 'utf8');
  const base = new URL(url).pathname;
  return [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => {
    const p = decodeURI(new URL(m[1].replace(/&amp;/g, '&')).pathname);
    return p.startsWith(base) ? p.slice(base.length) : p.replace(/^\/+/, '');
  });
}

/** One page of each kind the corpus has (site paths). */
export const CORPUS_PAGES = [
  { name: 'home', path: '' },
  { name: 'overview-vereisten', path: 'voldoen-aan-wetten-en-regels/vereisten/' },
  { name: 'overview-maatregelen', path: 'voldoen-aan-wetten-en-regels/maatregelen/' },
  { name: 'overview-hulpmiddelen', path: 'voldoen-aan-wetten-en-regels/hulpmiddelen/' },
  { name: 'phase', path: 'levenscyclus/ontwerp/' },
  { name: 'lifecycle', path: 'levenscyclus/' },
  { name: 'topic', path: 'onderwerpen/privacy-en-gegevensbescherming/' },
  { name: 'role', path: 'rollen/' },
  { name: 'section-index', path: 'voldoen-aan-wetten-en-regels/' },
  { name: 'faq', path: 'over-het-algoritmekader/veelgestelde-vragen/' },
  { name: 'privacy', path: 'over-het-algoritmekader/privacy/' },
  { name: 'timeline', path: 'ai-verordening/tijdlijn-ai-verordening/' },
  { name: 'definitions', path: 'soorten-algoritmes-en-ai/definities/' },
];
