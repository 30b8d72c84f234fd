// End-to-end: the space-time diagram ([data-spacetime], issue 12 part 3). Its arrows are
// the messages of a scripted run, as `raftlab run --trace` numbers them (delivered, lost by
// hand, duplicated by hand, in flight); hovering an arrow highlights the message on the
// ring and the reverse; clicking an arrow selects the message; clicking the diagram
// travels there; zoom changes the window; Export SVG downloads a file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launch, open, shot, vtime } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const SCENARIO = 'cluster 3\nseed 1\nset latency 10ms\ntimeout s2\nrun 45ms\ndrop message 9\nduplicate message 10\n'
  + 'run 27ms\nsay "elected; message 9 dropped, 10 duplicated"\npause\n';

function nativeBinary() {
  const candidates = [process.env.RAFTLAB_NATIVE,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'release', 'raftlab'),
    join(root, 'target', 'release', 'raftlab'), join(root, 'target', 'debug', 'raftlab')].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  execFileSync('cargo', ['build', '--release', '--bin', 'raftlab'], { cwd: root, stdio: 'inherit' });
  return candidates.find((p) => existsSync(p));
}

/** The trace's deliveries and losses: { id: { from, to, lost, kind } }, and the copies' ids. */
function traced() {
  const dir = mkdtempSync(join(tmpdir(), 'raftlab-st-'));
  const file = join(dir, 'st.raft');
  writeFileSync(file, SCENARIO);
  const out = execFileSync(nativeBinary(), ['run', '--trace', file], { encoding: 'utf8' });
  const msgs = {};
  const copies = new Set();
  for (const line of out.split('\n')) {
    let m = line.match(/(delivered|dropped \([^)]*\)) message (\d+) (\w+) (s\d|client)→(s\d|client)/);
    if (m) msgs[m[2]] = { kind: m[3], from: m[4], to: m[5], lost: m[1] !== 'delivered' };
    m = line.match(/dropped message (\d+) by hand: (\w+) (s\d|client)→(s\d|client)/);
    if (m) msgs[m[1]] = { kind: m[2], from: m[3], to: m[4], lost: true };
    m = line.match(/duplicated message (\d+) by hand/);
    if (m) copies.add(String(Number(m[1]) + 1)); // the copy takes the next id (none sent meanwhile)
  }
  return { msgs, copies };
}

async function arrows(page) {
  return page.$$eval('[data-spacetime] [data-arrow]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-arrow'), {
    kind: e.getAttribute('data-arrow-type'), from: e.getAttribute('data-from'), to: e.getAttribute('data-to'),
    lost: e.getAttribute('data-lost') === 'true', copy: e.getAttribute('data-copy') === 'true',
    flying: e.classList.contains('flying'),
  }])));
}

test("the diagram's arrows are the messages of a scripted run (as run --trace numbers them)", async () => {
  const { msgs, copies } = traced();
  assert.ok(Object.keys(msgs).length >= 10, JSON.stringify(msgs));
  const page = await open(browser, srv.url, '?speed=10&scenario=' + encodeURIComponent(SCENARIO));
  await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 30000 });
  const lanes = await page.$$eval('[data-spacetime] [data-lane]', (els) => els.map((e) => e.getAttribute('data-lane')));
  assert.deepEqual(lanes, ['s1', 's2', 's3']);
  const got = await arrows(page);
  for (const [id, m] of Object.entries(msgs)) {
    assert.ok(got[id], `message ${id} (${m.kind} ${m.from}→${m.to}) has an arrow`);
    assert.deepEqual({ kind: got[id].kind, from: got[id].from, to: got[id].to, lost: got[id].lost },
      m, `arrow ${id}`);
    assert.equal(got[id].copy, copies.has(id), `arrow ${id} copy`);
  }
  assert.equal(got['9'].lost, true, 'the dropped message ends in ✕');
  assert.ok(await page.$('[data-arrow="9"] .st-x'));
  assert.ok(copies.has('11') && got['11'].copy && got['10'] && !got['10'].copy, 'both copies of message 10');
  // Any other arrow is a message still in flight, also on the ring.
  const inFlight = await page.$$eval('.ring [data-msg-id]', (els) => els.map((e) => e.getAttribute('data-msg-id')).sort());
  const rest = Object.keys(got).filter((id) => !msgs[id]).sort();
  assert.deepEqual(rest, inFlight);
  for (const id of rest) assert.ok(got[id].flying, `arrow ${id} is in flight`);
  // Role bands: s2 a candidate then the leader in term 1.
  const bands = await page.$$eval('[data-spacetime] [data-band="s2"]', (els) => els.map((e) => `${e.getAttribute('data-role')}/${e.getAttribute('data-term')}`));
  assert.deepEqual(bands, ['follower/0', 'candidate/1', 'leader/1']);
  await shot(page, 'spacetime');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('[data-spacetime]').scrollIntoViewIfNeeded();
  await shot(page, 'spacetime-phone');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('hover, select, travel, zoom and export', async () => {
  const page = await open(browser, srv.url, '?speed=10&scenario=' + encodeURIComponent(SCENARIO));
  await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 30000 });
  const id = await page.getAttribute('.ring [data-msg-id]', 'data-msg-id');
  // Ring → diagram.
  await page.hover(`.ring [data-msg-id="${id}"]`);
  await page.waitForSelector(`[data-arrow="${id}"].hot`);
  // Diagram → ring (a delivered message has no dot; an in-flight one does).
  await page.mouse.move(0, 0);
  await page.waitForSelector(`[data-arrow="${id}"]:not(.hot)`);
  await page.dispatchEvent(`[data-arrow="${id}"]`, 'mouseenter');
  await page.waitForSelector(`.ring [data-msg-id="${id}"].hot`);
  // Click an arrow: the message is selected (its box, with drop / duplicate).
  await page.dispatchEvent(`[data-arrow="${id}"]`, 'click');
  await page.waitForSelector(`[data-arrow="${id}"].sel`);
  await page.waitForSelector(`.ring [data-msg-id="${id}"].selected`);
  await page.waitForSelector(`[data-testid="msgbox"][data-msg-id="${id}"]`);
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'false');
  // A delivered message (5: s2's first append to s1, sent at 20 ms): to its sending, selected.
  await page.dispatchEvent('[data-arrow="5"]', 'click');
  await page.waitForFunction(() => document.querySelector('.app').getAttribute('data-travelling') === 'true');
  assert.equal(await vtime(page), 20000);
  await page.waitForSelector('.ring [data-msg-id="5"].selected');
  await page.waitForSelector('[data-testid="msgbox"][data-msg-id="5"]');
  await page.click('[data-testid="return-present"]');
  await page.waitForFunction(() => document.querySelector('.app').getAttribute('data-travelling') === 'false');
  // Click the diagram: travel to that moment (the 72 ms of the run fill a longer window).
  const t0 = await vtime(page);
  for (let i = 0; i < 2; i++) await page.click('[data-testid="st-zoom-in"]');
  assert.equal(await page.getAttribute('[data-spacetime]', 'data-window-ms'), '250');
  const box = await page.locator('[data-spacetime] svg.st').boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height - 2);
  await page.waitForFunction(() => document.querySelector('.app').getAttribute('data-travelling') === 'true');
  const t2 = await vtime(page);
  assert.ok(t2 < t0 * 0.75 && t2 > t0 * 0.25, `clicked the diagram: travelled to ${t2} (of ${t0})`);
  // Zoom out.
  await page.click('[data-testid="st-zoom-out"]');
  assert.equal(await page.getAttribute('[data-spacetime]', 'data-window-ms'), '500');
  // Export SVG (diagram and ring).
  for (const [button, name] of [['export-spacetime', 'raftlab-spacetime.svg'], ['export-ring', 'raftlab-ring.svg']]) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${button}"]`)]);
    assert.equal(dl.suggestedFilename(), name);
    const path = await dl.path();
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(text, /<style>/);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});
