// End-to-end: embedding. URL parameters set up the page (and a bad one is reported by name
// while the page runs on its defaults); the compact modes fit a 600x400 box; the embed
// example page runs iframes and several mount() instances side by side, independently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, open, shot, servers, waitLeader } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

test('URL parameters set up the cluster: servers, seed, prevote, controls=minimal, autoplay', async () => {
  const page = await open(browser, srv.url, '?servers=3&seed=9&prevote=on&checkquorum=on&controls=minimal&autoplay=0',
    { width: 600, height: 400 });
  assert.equal((await page.$$('[data-server]')).length, 3);
  const app = await page.$eval('.app', (e) => Object.fromEntries([...e.attributes].map((a) => [a.name, a.value])));
  assert.equal(app['data-controls'], 'minimal');
  assert.equal(app['data-servers'], '3');
  assert.equal(app['data-seed'], '9');
  assert.equal(app['data-prevote'], 'true');
  assert.equal(app['data-check-quorum'], 'true');
  assert.equal(app['data-playing'], 'false', 'autoplay=0');
  // Only the few controls: play, step, clock; no tabs, logs or side panels.
  assert.equal((await page.$$('[data-tab]')).length, 0);
  assert.equal((await page.$$('[data-testid="play"]')).length, 1);
  assert.equal((await page.$$('[data-testid="clock"]')).length, 1);
  // Fits the 600x400 box without scrolling.
  const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
  assert.ok(size[0] <= 600 && size[1] <= 400, `content ${size}`);
  await page.click('[data-testid="play"]');
  await waitLeader(page, 30000);
  await shot(page, 'embed-minimal');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('controls=none shows only the cluster', async () => {
  const page = await open(browser, srv.url, '?controls=none&servers=4&speed=1', { width: 600, height: 400 });
  assert.equal((await page.$$('[data-server]')).length, 4);
  assert.equal(await page.getAttribute('.app', 'data-controls'), 'none');
  assert.equal((await page.$$('[data-testid="play"]')).length, 0);
  assert.equal((await page.$$('[data-tab]')).length, 0);
  await waitLeader(page, 20000);
  await shot(page, 'embed-none');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a bad parameter shows a banner naming it; the defaults are kept and the page runs', async () => {
  const page = await open(browser, srv.url, '?servers=12&speed=fast&bogus=1&seed=5');
  const banner = await page.waitForSelector('[data-testid="param-errors"]');
  const text = await banner.innerText();
  assert.match(text, /parameter servers: expected 1 to 9 servers, found "12"/);
  assert.match(text, /parameter speed/);
  assert.match(text, /parameter bogus/);
  assert.deepEqual(await page.$$eval('[data-testid="param-errors"] li', (l) => l.map((e) => e.getAttribute('data-param'))),
    ['servers', 'speed', 'bogus']);
  assert.equal((await page.$$('[data-server]')).length, 5, 'the default 5 servers');
  assert.equal(await page.getAttribute('.app', 'data-seed'), '5', 'good parameters still apply');
  await waitLeader(page, 30000);
  await shot(page, 'embed-bad-parameter');
  await page.click('[data-testid="dismiss-param-errors"]');
  assert.equal((await page.$$('[data-testid="param-errors"]')).length, 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('scenario= by path is fetched relative to the page; a missing file is reported', async () => {
  const page = await open(browser, srv.url, '?scenario=tours/01-election.raft&speed=1&controls=minimal');
  await page.waitForSelector('[data-testid="caption"]');
  assert.match(await page.innerText('[data-testid="caption"]'), /Five servers/);
  await page.close();
  const bad = await open(browser, srv.url, '?scenario=tours/nope.raft');
  const err = await bad.waitForSelector('[data-testid="error"]');
  assert.match(await err.innerText(), /parameter scenario: cannot fetch tours\/nope\.raft: 404/);
  assert.equal((await bad.$$('[data-server]')).length, 5);
  await bad.close();
});

test('scenario= as text plays it; a parse error is reported with its line', async () => {
  const text = encodeURIComponent('cluster 3\nseed 2\nsay "hello from the URL"\nrun until leader any within 3s\npause\n');
  const page = await open(browser, srv.url, `?scenario=${text}&speed=1`);
  await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 20000 });
  assert.match(await page.innerText('[data-testid="caption"]'), /hello from the URL/);
  assert.equal((await page.$$('[data-server]')).length, 3);
  await page.close();
  const bad = await open(browser, srv.url, `?scenario=${encodeURIComponent('cluster 3\nfrobnicate s1\n')}`);
  assert.match(await bad.innerText('[data-testid="error"]'), /2:1/);
  await bad.close();
});

test('view=elections routes to the experiments view', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(srv.url + 'index.html?view=elections');
  await page.waitForFunction(() => document.body.innerText.trim().length > 0);
  assert.equal((await page.$$('.app[data-controls]')).length, 0, 'not the cluster page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the embed example: iframes and mount() instances side by side, independent', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 2400 } });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(srv.url + 'embed-example.html');
  await page.waitForSelector('body[data-ready="true"]');
  // Two iframes set up by URL parameters.
  const election = page.frameLocator('#election');
  await election.locator('[data-server]').first().waitFor();
  assert.equal(await election.locator('[data-server]').count(), 5);
  assert.equal(await election.locator('.app').getAttribute('data-controls'), 'minimal');
  const partition = page.frameLocator('#partition');
  await partition.locator('[data-testid="caption"]').waitFor();
  // mount() instances.
  for (const id of ['stale-read', 'left', 'right']) {
    await page.waitForSelector(`#${id} [data-server]`);
  }
  assert.equal((await page.$$('#left [data-server]')).length, 3);
  assert.equal(await page.getAttribute('#left .app', 'data-controls'), 'minimal');
  assert.equal(await page.getAttribute('#right .app', 'data-controls'), 'none');
  // Crash s1 in one: the other is unaffected.
  await page.evaluate(() => window.raftlab.handles.left.crash('s1'));
  await page.waitForSelector('#left [data-server="s1"][data-role="crashed"]');
  await page.waitForTimeout(300);
  assert.notEqual(await page.getAttribute('#right [data-server="s1"]', 'data-role'), 'crashed');
  // Pause one: the other keeps playing.
  await page.evaluate(() => window.raftlab.handles.left.pause());
  await page.waitForSelector('#left .app[data-playing="false"]');
  assert.equal(await page.getAttribute('#right .app', 'data-playing'), 'true');
  // No document-wide keyboard listener in embeds: space does nothing to them.
  await page.keyboard.press('Space');
  await page.waitForTimeout(200);
  assert.equal(await page.getAttribute('#left .app', 'data-playing'), 'false');
  // Errors are clear JS errors naming what is wrong.
  const errs = await page.evaluate(() => {
    const out = {};
    try { window.raftlab.handles.left.crash('s9'); } catch (e) { out.crash = e.message; }
    try { window.raftlab.mount(document.createElement('div'), { servers: 12 }); } catch (e) { out.servers = e.message; }
    try { window.raftlab.mount(document.createElement('div'), { colour: 'red' }); } catch (e) { out.unknown = e.message; }
    try { window.raftlab.handles.left.load('cluster 3\nfrobnicate s1\n'); } catch (e) { out.load = e.message; }
    return out;
  });
  assert.match(errs.crash, /no server s9/);
  assert.match(errs.servers, /option servers: expected 1 to 9 servers/);
  assert.match(errs.unknown, /option colour: unknown/);
  assert.match(errs.load, /^2:1/);
  await shot(page, 'embed-example');
  // destroy() unmounts; the other instances go on.
  await page.evaluate(() => window.raftlab.handles.right.destroy());
  assert.equal((await page.$$('#right [data-server]')).length, 0);
  assert.equal((await page.$$('#left [data-server]')).length, 3);
  const again = await page.evaluate(() => { try { window.raftlab.handles.right.play(); return 'ok'; } catch (e) { return e.message; } });
  assert.match(again, /destroyed/);
  assert.deepEqual(page.errors, []);
  await page.close();
});
