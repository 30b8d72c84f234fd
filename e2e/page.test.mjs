// End-to-end: the page loads, elects a leader, survives a leader crash; playback,
// speed, keyboard, time travel, and idling (no frames when paused or hidden).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, open, shot, vtime, servers, waitLeader, setRange } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const ROLES = new Set(['follower', 'precandidate', 'candidate', 'leader', 'crashed', 'removed']);

test('a leader is elected within a few seconds of virtual time, 5 servers carry the data attributes', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  const l = await waitLeader(page, 20000);
  assert.ok(await vtime(page) < 5_000_000, 'leader within 5 s of virtual time');
  const s = await servers(page);
  assert.deepEqual(Object.keys(s).sort(), ['s1', 's2', 's3', 's4', 's5']);
  for (const v of Object.values(s)) {
    assert.ok(ROLES.has(v.role), `role ${v.role}`);
    assert.ok(Number.isInteger(v.term) && v.term >= 1, `term ${v.term}`);
  }
  assert.equal(s[l.name].role, 'leader');
  await page.waitForSelector('[data-msg-type]', { timeout: 5000 });
  const kinds = await page.$$eval('[data-msg-type]', (els) => els.map((e) => e.getAttribute('data-msg-type')));
  assert.ok(kinds.every((k) => /^[a-z_]+$/.test(k)), `kinds ${kinds}`);
  await shot(page, 'election');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('crashing the leader from the inspector elects a new leader in a higher term', async () => {
  const page = await open(browser, srv.url, '?speed=1&seed=3');
  const old = await waitLeader(page);
  await page.click(`[data-server="${old.name}"]`);
  await page.waitForSelector(`[data-inspected="${old.name}"]`);
  await page.click('[data-action="crash"]');
  await page.waitForSelector(`[data-server="${old.name}"][data-role="crashed"]`);
  const neu = await waitLeader(page, 20000, old.name);
  assert.notEqual(neu.name, old.name);
  assert.ok(neu.term > old.term, `new term ${neu.term} > ${old.term}`);
  await shot(page, 'leader-crashed-new-leader');
  await page.click('[data-action="restart"]');
  await page.waitForSelector(`[data-server="${old.name}"]:not([data-role="crashed"])`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('play, pause, single step, speed and the virtual clock', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  await waitLeader(page);
  await page.click('[data-testid="play"]');
  assert.equal(await page.getAttribute('.app', 'data-playing'), 'false');
  const t1 = await vtime(page);
  await page.waitForTimeout(400);
  assert.equal(await vtime(page), t1, 'the clock stands still while paused');
  let t = t1;
  for (let i = 0; i < 3; i++) {
    await page.click('[data-testid="step"]');
    await page.waitForFunction((x) => Number(document.querySelector('[data-virtual-time-us]').dataset.virtualTimeUs) > x, t);
    t = await vtime(page);
  }
  assert.ok(t > t1);
  await setRange(page, '[data-testid="speed"]', -3);
  assert.equal(Number(await page.getAttribute('[data-speed]', 'data-speed')).toFixed(3), '0.001');
  await setRange(page, '[data-testid="speed"]', 1);
  assert.equal(Number(await page.getAttribute('[data-speed]', 'data-speed')), 10);
  await page.click('[data-testid="play"]');
  assert.equal(await page.getAttribute('.app', 'data-playing'), 'true');
  await page.waitForFunction((x) => Number(document.querySelector('[data-virtual-time-us]').dataset.virtualTimeUs) > x + 1_000_000, t);
  await page.close();
});

test('keyboard shortcuts and the help overlay', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  await waitLeader(page);
  await page.keyboard.press('?');
  await page.waitForSelector('[data-testid="help-overlay"]');
  await shot(page, 'help');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="help-overlay"]', { state: 'detached' });
  await page.click('[data-testid="help"]');
  await page.waitForSelector('[data-testid="help-overlay"]');
  await page.click('[data-testid="help-overlay"] .btn.primary');
  await page.waitForSelector('[data-testid="help-overlay"]', { state: 'detached' });
  // Focus went back to the ? button (Space would press it): the shortcuts apply with no
  // control focused.
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'help');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('.app', 'data-playing'), 'false');
  const t = await vtime(page);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((x) => Number(document.querySelector('[data-virtual-time-us]').dataset.virtualTimeUs) > x, t);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'true');
  assert.ok(await vtime(page) < t);
  await page.keyboard.press('End');
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'false');
  const sp = Number(await page.getAttribute('[data-speed]', 'data-speed'));
  await page.keyboard.press('+');
  assert.equal(Number(await page.getAttribute('[data-speed]', 'data-speed')), sp * 2);
  await page.keyboard.press('2');
  await page.waitForSelector('[data-inspected="s2"]');
  await page.keyboard.press('c');
  await page.waitForSelector('[data-server="s2"][data-role="crashed"]');
  await page.keyboard.press('r');
  await page.waitForSelector('[data-server="s2"]:not([data-role="crashed"])');
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('.app', 'data-playing'), 'true');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('time travel: the feed, the scrubber, resume from here, return to the present', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  await waitLeader(page);
  await page.waitForFunction(() => Number(document.querySelector('[data-virtual-time-us]').dataset.virtualTimeUs) > 1_200_000);
  // Click the oldest event shown: travel to its moment.
  const item = page.locator('.feed-item').last();
  const at = Number(await item.getAttribute('data-feed-time'));
  await item.click();
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'true');
  assert.equal(await vtime(page), at);
  await shot(page, 'time-travel');
  // Commands are refused while looking at the past, with the model's reason.
  await page.click('[data-server="s1"]');
  await page.click('[data-action="crash"]');
  await page.waitForSelector('[data-testid="error"]');
  assert.match(await page.textContent('[data-testid="error"]'), /past/);
  await page.click('[data-testid="return-present"]');
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'false');
  const live = await vtime(page);
  assert.ok(live > at);
  // Drag the scrubber back, then resume from there: the later future is discarded.
  await setRange(page, '[data-testid="scrubber"]', 300000);
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'true');
  assert.equal(await vtime(page), 300000);
  await page.click('[data-testid="back"]');
  assert.equal(await vtime(page), 50000);
  await page.click('[data-testid="resume-here"]');
  await page.click('[data-testid="resume-discard"]');
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'false');
  assert.equal(await vtime(page), 50000);
  assert.equal(await page.getAttribute('.scrub', 'max'), '50000');
  await page.click('[data-testid="play"]');
  await waitLeader(page);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('no animation frames while paused or while the tab is hidden', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(() => {
    window.__frames = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => { window.__frames++; return raf(cb); };
  });
  await page.goto(srv.url + 'index.html?speed=1');
  await page.waitForSelector('[data-server]');
  const frames = () => page.evaluate(() => window.__frames);
  const f0 = await frames();
  await page.waitForTimeout(500);
  assert.ok(await frames() > f0 + 5, 'frames run while playing');
  await page.click('[data-testid="play"]');
  await page.waitForTimeout(100);
  const f1 = await frames();
  await page.waitForTimeout(1000);
  assert.equal(await frames(), f1, 'no frames while paused');
  await page.click('[data-testid="play"]');
  await page.waitForTimeout(200);
  // Hide the tab.
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  assert.equal(await page.getAttribute('.app', 'data-running'), 'false');
  await page.waitForTimeout(100);
  const f2 = await frames();
  const t2 = await vtime(page);
  await page.waitForTimeout(1000);
  assert.equal(await frames(), f2, 'no frames while hidden');
  assert.equal(await vtime(page), t2);
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForTimeout(300);
  assert.ok(await frames() > f2 + 3, 'frames again when visible');
  await page.close();
});
