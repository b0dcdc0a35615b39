// The harness's own static server (lib/server.mjs): content types, 404
// pages per language, directory index and redirects, path traversal, the CSP
// header. No browser, no kader build needed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startServer, CSP_HEADER } from './lib/server.mjs';

let dir, srv, outside;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kader-server-test-'));
  const w = (p, s) => {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), s);
  };
  w('index.html', '<!doctype html><title>home</title>');
  w('404.html', 'NL-404');
  w('en/404.html', 'EN-404');
  w('en/index.html', 'EN-HOME');
  w('vereisten/x/index.html', 'X');
  for (const ext of ['css', 'js', 'json', 'wasm', 'svg', 'png', 'csv', 'xml']) w(`assets/f.${ext}`, 'x');
  outside = path.join(path.dirname(dir), `kader-server-secret-${process.pid}.txt`);
  fs.writeFileSync(outside, 'SECRET');
  srv = await startServer({ root: dir, mount: '/kennisbank/' });
});
after(async () => {
  await srv?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { force: true });
});

// Raw request (no URL normalisation, unlike fetch) so traversal attempts reach the server as written.
function get(rawPath) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves files with the right content types', async () => {
  const want = {
    css: 'text/css',
    js: 'text/javascript',
    json: 'application/json',
    wasm: 'application/wasm',
    svg: 'image/svg+xml',
    png: 'image/png',
    csv: 'text/csv',
    xml: 'application/xml',
  };
  for (const [ext, type] of Object.entries(want)) {
    const r = await get(`/kennisbank/assets/f.${ext}`);
    assert.equal(r.status, 200, ext);
    assert.equal(r.headers['content-type'].split(';')[0], type, ext);
  }
  const h = await get('/kennisbank/');
  assert.equal(h.status, 200);
  assert.match(h.headers['content-type'], /^text\/html/);
  assert.match(h.body, /home/);
});

test('directories answer with index.html; without a slash they redirect', async () => {
  assert.equal((await get('/kennisbank/vereisten/x/')).body, 'X');
  const r = await get('/kennisbank/vereisten/x');
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, '/kennisbank/vereisten/x/');
  const m = await get('/kennisbank');
  assert.equal(m.status, 301);
  assert.equal(m.headers.location, '/kennisbank/');
});

test('unknown paths get the 404 page of their language with status 404', async () => {
  for (const [p, body] of [
    ['/kennisbank/nope/', 'NL-404'],
    ['/kennisbank/vereisten/nope/', 'NL-404'],
    ['/kennisbank/en/nope/', 'EN-404'],
    ['/kennisbank/en/vereisten/nope', 'EN-404'],
    ['/elsewhere/', 'NL-404'],
    ['/', 'NL-404'],
  ]) {
    const r = await get(p);
    assert.equal(r.status, 404, p);
    assert.equal(r.body, body, p);
    assert.match(r.headers['content-type'], /^text\/html/, p);
  }
});

test('path traversal is refused', async () => {
  const name = path.basename(outside);
  for (const p of [`/kennisbank/../${name}`, `/kennisbank/%2e%2e/${name}`, `/kennisbank/%2E%2E%2F${name}`, `/kennisbank/..%5c${name}`, '/kennisbank/%00', `/kennisbank/en/../../${name}`]) {
    const r = await get(p);
    assert.ok(r.status === 400 || r.status === 404, `${p} -> ${r.status}`);
    assert.doesNotMatch(r.body, /SECRET/, p);
  }
});

test('every response carries the CSP header', async () => {
  for (const p of ['/kennisbank/', '/kennisbank/assets/f.js', '/kennisbank/nope', '/kennisbank/vereisten/x', '/kennisbank/../x']) {
    const r = await get(p);
    assert.equal(r.headers['content-security-policy'], CSP_HEADER, p);
  }
  assert.equal(
    CSP_HEADER,
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'",
  );
});
