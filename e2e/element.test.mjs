// End-to-end: the <raft-cluster> custom element in real tutorial sites. An mdBook (built
// here with `mdbook build`) holds two elements and an iframe in one chapter; a plain HTML
// article has a global stylesheet of its own and a dark background. Checks that the
// clusters run independently, the host's own styles are unchanged (computed styles with
// and without the module), the events arrive, bad attributes are named inside the
// element, attribute changes apply, the handle's methods work, and nothing runs (no
// animation frame, no timer) while every element is paused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launch, shot, DIST } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let srv, browser, site;

before(async () => {
  site = mkdtempSync(join(tmpdir(), 'raftlab-site-'));
  // The site: dist/ under /raftlab, the article, and the book (with dist/ under it too).
  cpSync(DIST, join(site, 'raftlab'), { recursive: true });
  cpSync(join(here, 'site', 'article'), join(site, 'article'), { recursive: true });
  execFileSync('mdbook', ['build', join(here, 'site', 'book'), '--dest-dir', join(site, 'book')], { stdio: 'pipe' });
  cpSync(DIST, join(site, 'book', 'raftlab'), { recursive: true });
  cpSync(join(site, 'article', 'index.html'), join(site, 'index.html'));
  writeFileSync(join(site, 'small.html'), `<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body style="margin:0;background:#111">
    <raft-cluster id="s" servers="3" seed="4" controls="minimal" style="width:320px;height:240px"></raft-cluster>
    <script type="module" src="raftlab/raftlab.js"></script></body></html>`);
  // A full-controls element on a page outside raftlab/ (its Tours and Challenges tabs
  // fetch their files next to the module, not next to the page).
  writeFileSync(join(site, 'full.html'), `<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>
    <raft-cluster id="f" servers="5" seed="4" controls="full" style="height:900px"></raft-cluster>
    <script type="module" src="raftlab/raftlab.js"></script></body></html>`);
  srv = await serveDist(site);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
  if (site && existsSync(site)) rmSync(site, { recursive: true, force: true });
});

async function newPage(viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage({ viewport });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

/** Computed styles of the host's own text, to compare with and without the module. */
async function hostStyles(page) {
  return page.evaluate(() => {
    const pick = (el) => {
      if (!el) return null;
      const c = getComputedStyle(el);
      return ['font-family', 'font-size', 'font-weight', 'text-transform', 'letter-spacing', 'color', 'margin-top',
        'line-height', 'background-color', 'box-sizing'].map((p) => `${p}:${c.getPropertyValue(p)}`).join(';');
    };
    return { body: pick(document.body), h1: pick(document.querySelector('h1')), h2: pick(document.querySelector('h2')),
      h3: pick(document.querySelector('h3')), code: pick(document.querySelector('code')), p: pick(document.querySelector('p')) };
  });
}

async function leaderOf(page, id, timeout = 30000) {
  await page.waitForFunction((id) => {
    const el = document.getElementById(id);
    const app = el?.shadowRoot?.querySelector('.app');
    return app && app.getAttribute('data-leader');
  }, id, { timeout });
  return page.evaluate((id) => document.getElementById(id).shadowRoot.querySelector('.app').getAttribute('data-leader'), id);
}

test('an mdBook chapter: two elements and an iframe run independently; the book\'s styles are unchanged', async () => {
  const page = await newPage();
  const url = srv.url + 'book/elections.html';
  // Without the module (its request answered with an empty module): the book's own styles.
  await page.route('**/raftlab.js', (r) => r.fulfill({ contentType: 'text/javascript', body: '' }));
  await page.goto(url);
  const without = await hostStyles(page);
  await page.unroute('**/raftlab.js');
  await page.evaluate(() => {
    window.heard = [];
    for (const t of ['leader', 'commit', 'pause', 'caption', 'finished']) {
      document.addEventListener(t, (e) => window.heard.push({ type: t, id: e.target.id, detail: e.detail }), true);
    }
  });
  await page.goto(url);
  await page.evaluate(() => {
    window.heard = [];
    for (const t of ['leader', 'commit', 'pause', 'caption', 'finished']) {
      document.addEventListener(t, (e) => window.heard.push({ type: t, id: e.target.id, detail: e.detail }), true);
    }
  });
  await page.waitForSelector('#a [data-server]');
  await page.waitForSelector('#b [data-server]');
  const withModule = await hostStyles(page);
  assert.deepEqual(withModule, without, 'the book\'s headings, paragraphs and code look the same with the module');
  assert.equal(await page.$$eval('#a [data-server]', (l) => l.length), 3);
  assert.ok((await page.$$eval('#b [data-server]', (l) => l.length)) >= 3);
  // Nothing outside the elements: no page mounted on the book's body.
  assert.equal(await page.evaluate(() => document.querySelectorAll('.app').length), 0, 'no .app in the light DOM');
  // The iframe runs the full page's compact mode on its own.
  const frame = page.frameLocator('#frame');
  await frame.locator('[data-server]').first().waitFor();
  assert.equal(await frame.locator('[data-server]').count(), 5);
  const la = await leaderOf(page, 'a');
  // Events: a's leader and commits; b's caption and pause (its tour stops at a pause).
  await page.waitForFunction(() => window.heard.some((e) => e.id === 'a' && e.type === 'leader'), null, { timeout: 30000 });
  await page.waitForFunction(() => window.heard.some((e) => e.id === 'b' && e.type === 'pause'), null, { timeout: 30000 });
  const heard = await page.evaluate(() => window.heard);
  const lead = heard.find((e) => e.id === 'a' && e.type === 'leader');
  assert.equal(lead.detail.name, la);
  assert.ok(lead.detail.term >= 1);
  const cap = heard.find((e) => e.id === 'b' && e.type === 'caption');
  assert.ok(cap && cap.detail.caption.length > 10, JSON.stringify(cap));
  // Independent: crashing a's leader leaves b alone.
  const bBefore = await page.evaluate(() => document.getElementById('b').snapshot());
  await page.evaluate((l) => document.getElementById('a').crash(l), la);
  await page.waitForFunction((l) => document.querySelector('#a').shadowRoot.querySelector(`[data-server="${l}"]`).getAttribute('data-role') === 'crashed', la);
  assert.equal(await page.evaluate(() => document.getElementById('b').snapshot()), bBefore, 'b (paused at its stop) did not change');
  // finish() plays b's tour to its end: `finished` tells every expectation's result.
  await page.evaluate(() => document.getElementById('b').finish());
  await page.waitForFunction(() => window.heard.some((e) => e.id === 'b' && e.type === 'finished'), null, { timeout: 30000 });
  const fin = (await page.evaluate(() => window.heard)).find((e) => e.id === 'b' && e.type === 'finished');
  assert.equal(fin.detail.outcome, 'pass', JSON.stringify(fin.detail));
  assert.ok(fin.detail.checks.length >= 1 && fin.detail.checks.every((c) => c.ok && typeof c.line === 'number'));
  await shot(page, 'element-book');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a plain article with its own global stylesheet and a dark background', async () => {
  const page = await newPage();
  await page.addInitScript(() => {
    window.__counts = { raf: 0, timers: 0 };
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (f) => { window.__counts.raf++; return raf(f); };
    const st = window.setTimeout.bind(window);
    window.setTimeout = (f, ms, ...a) => { window.__counts.timers++; return st(f, ms, ...a); };
    const si = window.setInterval.bind(window);
    window.setInterval = (f, ms, ...a) => { window.__counts.timers++; return si(f, ms, ...a); };
  });
  await page.route('**/raftlab.js', (r) => r.fulfill({ contentType: 'text/javascript', body: '' }));
  await page.goto(srv.url + 'article/index.html');
  const without = await hostStyles(page);
  await page.unroute('**/raftlab.js');
  await page.goto(srv.url + 'article/index.html');
  await page.waitForSelector('#one [data-server]');
  await page.waitForSelector('#tour [data-server]');
  await page.waitForSelector('#bad [data-server]');
  assert.deepEqual(await hostStyles(page), without, 'the article looks the same with the module');
  // Bad attributes: named inside the element, defaults kept, the cluster runs.
  const banner = await page.waitForSelector('#bad [data-testid="param-errors"]');
  const text = await banner.innerText();
  assert.match(text, /attribute servers: expected 1 to 9 servers, found "12"/);
  assert.match(text, /attribute speed/);
  assert.equal(await page.$$eval('#bad [data-server]', (l) => l.length), 5, 'the default 5 servers');
  // The element's own look is its own (the host's `svg text { font-size: 30px }` does not reach it).
  const fs = await page.$eval('#one [data-server] text', (t) => getComputedStyle(t).fontSize);
  assert.notEqual(fs, '30px');
  // Events arrive (composed, so a listener on the document hears them).
  await page.waitForFunction(() => window.heard.some((e) => e.id === 'one' && e.type === 'leader'), null, { timeout: 30000 });
  await page.waitForFunction(() => window.heard.some((e) => e.id === 'one' && e.type === 'commit'), null, { timeout: 30000 });
  const commit = (await page.evaluate(() => window.heard)).find((e) => e.id === 'one' && e.type === 'commit');
  assert.match(commit.detail.server, /^s\d$/);
  assert.ok(commit.detail.index >= 1);
  // The handle: view(), put/get, partition/heal, speed, restart.
  const v = await page.evaluate(() => document.getElementById('one').view());
  assert.equal(v.servers.length, 3);
  assert.ok(v.leader, JSON.stringify(v).slice(0, 200));
  await page.evaluate(() => { const e = document.getElementById('one'); e.speed(2); e.put('x', '7'); e.get('x'); });
  await page.waitForFunction(() => document.getElementById('one').view().servers.some((s) => s.kv.some(([k, v]) => k === 'x' && v === '7')), null, { timeout: 30000 });
  for (const [call, msg] of [["partition('s1 s9 | s2')", /partition: there is no server s9/], ["partition('s1 s2')", /two groups/],
    ["speed(99)", /speed: expected a number from 0.001 to 10/], ["put('a b', '1')", /put/], ["restart('x')", /restart: "x" is not a server name/]]) {
    const err = await page.evaluate((c) => { try { eval(`document.getElementById('one').${c}`); return null; } catch (e) { return String(e); } }, call);
    assert.match(err ?? 'no error', msg, call);
  }
  await page.evaluate(() => document.getElementById('one').partition('s1 | s2 s3'));
  await page.waitForFunction(() => document.querySelector('#one').shadowRoot.querySelectorAll('.link.cut, [data-link-cut="true"]').length >= 0);
  await page.evaluate(() => document.getElementById('one').heal());
  // restart(): the cluster starts again from time 0.
  await page.evaluate(() => document.getElementById('one').restart());
  await page.waitForFunction(() => document.getElementById('one').view().time_us < 200000);
  // Changing an attribute applies it.
  await page.evaluate(() => document.getElementById('one').setAttribute('servers', '5'));
  await page.waitForFunction(() => document.querySelector('#one').shadowRoot.querySelectorAll('[data-server]').length === 5);
  await shot(page, 'element-article-dark');
  // Paused (every element): no animation frame and no timer at all.
  await page.evaluate(() => { for (const e of document.querySelectorAll('raft-cluster')) e.pause(); });
  await page.waitForTimeout(300);
  await page.evaluate(() => { window.__counts.raf = 0; window.__counts.timers = 0; });
  await page.waitForTimeout(1000);
  assert.deepEqual(await page.evaluate(() => window.__counts), { raf: 0, timers: 0 });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('small boxes: readable at 320x240, nothing overflows the element', async () => {
  const page = await newPage({ width: 360, height: 300 });
  await page.goto(srv.url + 'small.html');
  await page.waitForSelector('#s [data-server]');
  const box = await page.$eval('#s', (e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; });
  assert.deepEqual(box, [320, 240]);
  // The ring and the bar lie inside the element.
  const inside = await page.evaluate(() => {
    const host = document.getElementById('s').getBoundingClientRect();
    return [...document.getElementById('s').shadowRoot.querySelectorAll('.ring, .mini-bar, [data-testid="play"]')].every((el) => {
      const r = el.getBoundingClientRect();
      return r.left >= host.left - 1 && r.right <= host.right + 1 && r.top >= host.top - 1 && r.bottom <= host.bottom + 1;
    });
  });
  assert.ok(inside, 'the ring and the controls fit the 320x240 box');
  await shot(page, 'element-320x240');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a full-controls element on another site plays a bundled tour and a challenge', async () => {
  const page = await newPage();
  await page.goto(srv.url + 'full.html');
  await page.waitForSelector('raft-cluster [data-server]');
  await page.click('raft-cluster [data-tab="tours"]');
  await page.click('raft-cluster [data-tour="01-election"]');
  await page.waitForSelector('raft-cluster [data-testid="caption"]');
  assert.match(await page.textContent('raft-cluster [data-testid="caption"] .cap-text'), /Five servers start as followers/);
  await page.click('raft-cluster [data-tab="challenges"]');
  await page.click('raft-cluster [data-challenge="elect-s3"]');
  await page.waitForSelector('raft-cluster [data-testid="challenge"][data-challenge-id="elect-s3"]');
  assert.ok((await page.$$('raft-cluster [data-goal]')).length >= 1, 'the checklist is shown');
  assert.deepEqual(page.errors, []);
  await page.close();
});
