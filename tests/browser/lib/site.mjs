// Where the rendered site is and how to serve it. run.sh sets:
//
//   KADER_SITE_DIR   output of `kader build --base-url $KADER_SITE_URL`
//   KADER_SITE_URL   e.g. http://127.0.0.1:41234/
//   KADER_SUB_DIR    output of `kader build --base-url $KADER_SUB_URL`
//   KADER_SUB_URL    e.g. http://127.0.0.1:41235/kennisbank/
//   KADER_SCREENSHOT_DIR  where screenshots go (default tests/browser/out/screenshots)
//
// The port is part of the base URL baked into the build (canonical links,
// hreflang alternates, sitemap), so each test file serves the build on exactly
// that port; run.sh therefore runs the test files one at a time.

import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

export const HERE = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const OUT_DIR = path.join(HERE, 'out');
export const SCREENSHOT_DIR = process.env.KADER_SCREENSHOT_DIR || path.join(OUT_DIR, 'screenshots');
export const BASELINE_DIR = path.join(HERE, 'baselines');

const BUILDS = {
  root: { dir: 'KADER_SITE_DIR', url: 'KADER_SITE_URL' },
  sub: { dir: 'KADER_SUB_DIR', url: 'KADER_SUB_URL' },
};

/** The build's folder and base URL, from the environment. */
export function build(which = 'root') {
  const b = BUILDS[which];
  const dir = process.env[b.dir];
  const url = process.env[b.url];
  if (!dir || !url) {
    throw new Error(`${b.dir} / ${b.url} are not set: run the suite with tests/browser/run.sh`);
  }
  if (!fs.existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html missing: not a kader build`);
  return { dir, url: url.endsWith('/') ? url : url + '/' };
}

/**
 * Serve a build on the port and mount of its base URL. Returns the server
 * ({ url, origin, close() ... }) plus `at(path)` giving the absolute URL of a
 * site path ('vereisten/' or '/vereisten/' -> base + 'vereisten/').
 */
export async function serveBuild(which = 'root') {
  const { dir, url } = build(which);
  const u = new URL(url);
  const srv = await startServer({ root: dir, mount: u.pathname, port: Number(u.port) });
  return {
    ...srv,
    dir,
    at: (p = '') => srv.url + String(p).replace(/^\/+/, ''),
  };
}

/** Site paths in the sitemap, relative to the base URL ('' for home). */
export function sitemapPaths(which = 'root') {
  const { dir, url } = build(which);
  const xml = fs.readFileSync(path.join(dir, 'sitemap.xml'), 'utf8');
  const locs = [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => decodeXml(m[1]));
  const base = new URL(url);
  return [
    ...new Set(
      locs.map((l) => {
        const u = new URL(l);
        // Map whatever host the sitemap names to our local server.
        let p = decodeURI(u.pathname);
        if (p.startsWith(base.pathname)) p = p.slice(base.pathname.length);
        else p = p.replace(/^\/+/, '');
        return p;
      }),
    ),
  ];
}

function decodeXml(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export function ensureDir(d) {
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** Is site path `p` ('vereisten/x/') a page in the build folder `dir`? */
export function inBuild(dir, p) {
  return fs.existsSync(path.join(dir, p, 'index.html'));
}
