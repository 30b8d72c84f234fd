// End-to-end: export and import. A run with user inputs, exported (a .raft download, a
// ?run= link) and loaded again, replays to the identical cluster state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveDist, launch, open, shot, servers, vtime, waitLeader, tab } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

/** Plays a run with a user input (the leader crashed), then pauses. */
async function makeRun() {
  const page = await open(browser, srv.url, '?servers=3&seed=6&speed=1');
  const old = await waitLeader(page, 20000);
  await page.click(`[data-server="${old.name}"]`);
  await page.click('[data-action="crash"]');
  await page.waitForSelector(`[data-server="${old.name}"][data-role="crashed"]`);
  await waitLeader(page, 20000, old.name);
  await page.click('[data-testid="play"]');
  await page.waitForSelector('.app[data-playing="false"]');
  return page;
}

async function snapshot(page) {
  return { time: await vtime(page), servers: await servers(page),
    logs: await page.$$eval('[data-server]', (els) => els.map((e) => e.getAttribute('data-server')).join(' ')) };
}

test('Copy link: the ?run= link replays to the identical state', async () => {
  const page = await makeRun();
  const before = await snapshot(page);
  await tab(page, 'scenario');
  await page.click('[data-testid="copy-link"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  assert.match(link, /\?run=[A-Za-z0-9+\-$_]+$/);
  await shot(page, 'export-link');
  const replay = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  replay.on('pageerror', (e) => errors.push(String(e)));
  await replay.goto(link + '&speed=10');
  await replay.waitForSelector('[data-testid="caption"][data-state="pass"]', { timeout: 60000 });
  await replay.waitForSelector('.app[data-playing="false"]');
  const after = await snapshot(replay);
  assert.deepEqual(after, before);
  await shot(replay, 'export-replayed');
  assert.deepEqual(errors, []);
  await replay.close();
  await page.close();
});

test('Export downloads a .raft file; imported, it replays to the identical state', async () => {
  const page = await makeRun();
  const before = await snapshot(page);
  await tab(page, 'scenario');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export"]')]);
  assert.match(download.suggestedFilename(), /\.raft$/);
  const text = await readFile(await download.path(), 'utf8');
  assert.match(text, /^# exported from raftlab/);
  assert.match(text, /crash s\d/);
  // Import through the JavaScript API (load, play to the end at once) and compare.
  const other = await browser.newPage();
  await other.goto(srv.url + 'embed-example.html');
  await other.waitForSelector('body[data-ready="true"]');
  const snap = await other.evaluate(async (text) => {
    const div = document.createElement('div');
    div.id = 'imported';
    document.body.appendChild(div);
    const h = window.raftlab.mount(div, { autoplay: false });
    h.load(text);
    await new Promise((ok) => setTimeout(ok, 100));
    h.finish();
    await new Promise((ok) => setTimeout(ok, 100));
    return h.snapshot();
  }, text);
  const lines = snap.split('\n');
  assert.equal(lines[0].split(' ')[0], `t=${before.time}`);
  for (const [name, s] of Object.entries(before.servers)) {
    const line = lines.find((l) => l.startsWith(name + ' '));
    assert.ok(line, `server ${name} in ${snap}`);
    assert.ok(line.startsWith(`${name} ${s.role} term=${s.term} `), `${line} vs ${JSON.stringify(s)}`);
  }
  // And the page's own import (the scenario text box) replays the same run and stops there.
  await tab(page, 'scenario');
  await page.fill('[data-testid="scenario-text"]', text);
  await page.click('[data-testid="load-scenario"]');
  await page.waitForSelector('[data-testid="caption"][data-state="pass"]', { timeout: 60000 });
  await page.waitForSelector('.app[data-playing="false"]');
  assert.deepEqual(await snapshot(page), before);
  await shot(page, 'export-imported');
  await other.close();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('exporting twice from the same state gives the same text (handle API)', async () => {
  const page = await browser.newPage();
  await page.goto(srv.url + 'embed-example.html');
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#left .app[data-leader]:not([data-leader=""])', { timeout: 30000 });
  const r = await page.evaluate(async () => {
    const h = window.raftlab.handles.left;
    h.crash('s2');
    await new Promise((ok) => setTimeout(ok, 300));
    h.pause();
    await new Promise((ok) => setTimeout(ok, 50));
    const text = h.export();
    const snap = h.snapshot();
    const div = document.createElement('div');
    document.body.appendChild(div);
    const h2 = window.raftlab.mount(div, { autoplay: false, controls: 'none' });
    h2.load(text);
    await new Promise((ok) => setTimeout(ok, 100));
    h2.finish();
    return { text, again: h.export(), snap, replayed: h2.snapshot() };
  });
  assert.equal(r.again, r.text);
  assert.equal(r.replayed, r.snap);
  await page.close();
});
