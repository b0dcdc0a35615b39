// A tiny static file server for the rendered site (node:http, no dependencies).
//
//   const srv = await startServer({ root: '/tmp/site', mount: '/kennisbank/', port: 0 });
//   srv.url      -> 'http://127.0.0.1:PORT/kennisbank/'
//   await srv.close();
//
// - serves `root` under `mount` (default '/') on 127.0.0.1
// - a directory answers with its index.html; a directory requested without a
//   trailing slash is redirected (301) to the slashed URL, as static hosts do
// - unknown paths answer 404 with the site's 404.html; under `<mount>en/` with
//   en/404.html (any language folder that has its own 404.html is honoured)
// - path traversal (`..` segments, encoded or not, NUL bytes, backslashes) is
//   refused with 400
// - every response carries CSP_HEADER (the policy the site must live under)
//
// Run it by hand: node lib/server.mjs DIR [MOUNT] [PORT]

import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CSP_HEADER =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.bin': 'application/octet-stream',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function normMount(mount) {
  let m = mount || '/';
  if (!m.startsWith('/')) m = '/' + m;
  if (!m.endsWith('/')) m += '/';
  return m;
}

async function statOrNull(p) {
  try {
    return await fs.stat(p);
  } catch {
    return null;
  }
}

/**
 * Start serving `root` under `mount`. Returns { url, origin, port, mount, root, close() }.
 */
export async function startServer({ root, mount = '/', port = 0, host = '127.0.0.1', log = false } = {}) {
  if (!root) throw new Error('startServer: root is required');
  const absRoot = path.resolve(root);
  const rootStat = await statOrNull(absRoot);
  if (!rootStat || !rootStat.isDirectory()) throw new Error(`startServer: ${absRoot} is not a directory`);
  const m = normMount(mount);

  const send = (res, status, headers, body, method) => {
    res.writeHead(status, {
      'Content-Security-Policy': CSP_HEADER,
      'Cache-Control': 'no-store',
      ...headers,
      ...(body != null ? { 'Content-Length': Buffer.byteLength(body) } : {}),
    });
    res.end(method === 'HEAD' ? undefined : body);
  };

  // The 404 page for a request path relative to the mount: the language
  // folder's own 404.html when it has one (en/404.html), else the root one.
  const notFoundFile = async (rel) => {
    const first = rel.split('/').filter(Boolean)[0];
    if (first && /^[a-z]{2}(-[a-z0-9]+)?$/i.test(first)) {
      const f = path.join(absRoot, first, '404.html');
      const st = await statOrNull(f);
      if (st && st.isFile()) return f;
    }
    return path.join(absRoot, '404.html');
  };

  const notFound = async (res, rel, method) => {
    const f = await notFoundFile(rel);
    let body;
    try {
      body = await fs.readFile(f);
    } catch {
      body = '404 Not Found\n';
      return send(res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, body, method);
    }
    return send(res, 404, { 'Content-Type': 'text/html; charset=utf-8' }, body, method);
  };

  const handler = async (req, res) => {
    const method = req.method || 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      return send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'Method Not Allowed\n', method);
    }
    const rawPath = (req.url || '/').split(/[?#]/)[0];
    let decoded;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      return send(res, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad Request\n', method);
    }
    // Refuse traversal outright, whether spelled raw or percent-encoded.
    const segments = decoded.split('/');
    if (decoded.includes('\0') || decoded.includes('\\') || segments.some((s) => s === '..' || s === '.')) {
      return send(res, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad Request\n', method);
    }
    // The mount itself without its slash: redirect to it.
    if (m !== '/' && decoded === m.slice(0, -1)) {
      return send(res, 301, { Location: m, 'Content-Type': 'text/plain; charset=utf-8' }, `Moved to ${m}\n`, method);
    }
    if (!decoded.startsWith(m)) return notFound(res, '', method);
    const rel = decoded.slice(m.length);
    let file = path.join(absRoot, rel);
    // Belt and braces: the resolved file must stay inside root.
    if (file !== absRoot && !file.startsWith(absRoot + path.sep)) {
      return send(res, 400, { 'Content-Type': 'text/plain; charset=utf-8' }, 'Bad Request\n', method);
    }
    let st = await statOrNull(file);
    if (st && st.isDirectory()) {
      if (!rawPath.endsWith('/')) {
        const q = (req.url || '').slice(rawPath.length);
        return send(res, 301, { Location: rawPath + '/' + q, 'Content-Type': 'text/plain; charset=utf-8' }, 'Moved\n', method);
      }
      file = path.join(file, 'index.html');
      st = await statOrNull(file);
    }
    if (!st || !st.isFile()) return notFound(res, rel, method);
    let body;
    try {
      body = await fs.readFile(file);
    } catch {
      return notFound(res, rel, method);
    }
    if (log) console.error(`${method} ${req.url} 200`);
    return send(res, 200, { 'Content-Type': contentType(file), 'X-Content-Type-Options': 'nosniff' }, body, method);
  };

  const server = http.createServer((req, res) => {
    handler(req, res).catch((err) => {
      try {
        send(res, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, `Internal Server Error: ${err.message}\n`, req.method);
      } catch {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const origin = `http://${host}:${actualPort}`;
  return {
    url: origin + m,
    origin,
    port: actualPort,
    mount: m,
    root: absRoot,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Ask the OS for a free loopback port (used by run.sh before the build). */
export async function freePort(host = '127.0.0.1') {
  const s = http.createServer();
  await new Promise((r) => s.listen(0, host, r));
  const p = s.address().port;
  await new Promise((r) => s.close(r));
  return p;
}

// CLI: `node lib/server.mjs DIR [MOUNT] [PORT]` serves until interrupted;
// `node lib/server.mjs --free-port` prints a free loopback port.
if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  const [a, b, c] = process.argv.slice(2);
  if (a === '--free-port') {
    console.log(await freePort());
  } else if (!a) {
    console.error('usage: node lib/server.mjs DIR [MOUNT] [PORT] | --free-port');
    process.exit(2);
  } else {
    const srv = await startServer({ root: a, mount: b || '/', port: Number(c || 0), log: true });
    console.log(`serving ${srv.root} at ${srv.url}`);
  }
}
