// Shared helpers of the end-to-end tests: a static server over dist/, the system
// Chromium through playwright-core, and small waits on the page's data attributes.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = process.env.RAFTLAB_DIST || join(root, 'dist');
export const ARTIFACTS = process.env.RAFTLAB_ARTIFACTS || join(root, 'artifacts');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.raft': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/** Serves dist/ on a free port of 127.0.0.1; resolves to { url, close }. */
export async function serveDist(dir = DIST) {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: build the page first (trunk build)`);
  }
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(dir, path));
      if (!file.startsWith(normalize(dir))) { res.writeHead(403).end(); return; }
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export const CHROMIUM = process.env.CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  .find((p) => existsSync(p));

export async function launch() {
  if (!CHROMIUM) throw new Error('no Chromium found: apt-get install -y chromium (or set CHROMIUM)');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the page; collects console errors and page errors into page.errors. */
export async function open(browser, base, query = '', viewport = { width: 1400, height: 900 }) {
  const page = await browser.newPage({ viewport });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  await page.goto(base + 'index.html' + query);
  await page.waitForSelector('[data-server]');
  return page;
}

export async function shot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name + '.png') });
}

/** Virtual time shown by the clock, in µs. */
export async function vtime(page) {
  return Number(await page.getAttribute('[data-virtual-time-us]', 'data-virtual-time-us'));
}

/** Every server's { name: { role, term } }. */
export async function servers(page) {
  return page.$$eval('[data-server]', (els) => Object.fromEntries(els.map((e) => [
    e.getAttribute('data-server'), { role: e.getAttribute('data-role'), term: Number(e.getAttribute('data-term')) },
  ])));
}

/** Waits until `leader any` holds (the page's data-leader); returns { name, term }. */
export async function waitLeader(page, timeout = 20000, notName = null) {
  await page.waitForFunction((not) => {
    const l = document.querySelector('.app')?.getAttribute('data-leader');
    return l && l !== not;
  }, notName, { timeout });
  const name = await page.getAttribute('.app', 'data-leader');
  const term = Number(await page.getAttribute(`[data-server="${name}"]`, 'data-term'));
  return { name, term };
}

/** Sets a range input's value and fires input + change (as a drag and release would). */
export async function setRange(page, selector, value) {
  await page.$eval(selector, (el, v) => {
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    set.call(el, String(v));
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

export async function tab(page, name) {
  await page.click(`[data-tab="${name}"]`);
}
