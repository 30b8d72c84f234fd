// End-to-end: membership as the paper tells it, driven from the page as a user would —
// a joint change picked in the cluster panel (the ring shows C_old and C_new, which
// majority the acks reach, then C_new alone), a learner added and promoted, the logs'
// configuration marks, and the timing panel's read mode and clock rates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, open, shot, waitLeader, tab } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const feedHas = (page, re, timeout = 10000) => page.waitForFunction((src) => {
  const r = new RegExp(src);
  return [...document.querySelectorAll('.feed-item')].some((e) => r.test(e.textContent));
}, re.source, { timeout });

const attr = (page, sel, name) => page.getAttribute(sel, name);
const picked = (page) => page.$$eval('[data-pick][data-picked="true"]', (els) => els.map((e) => e.dataset.pick).join(' '));

/** Clicks Step (one instant of the simulation each time) until `selector` is on the page. */
async function stepUntil(page, selector, max = 2000) {
  for (let i = 0; i < max; i++) {
    if (await page.$(selector)) return i;
    await page.click('[data-testid="step"]');
  }
  throw new Error(`${selector} not seen after ${max} steps`);
}

/** Waits until no membership request is under way (the cluster panel says nothing). */
const settled = (page) => page.waitForFunction(() => !document.querySelector('[data-testid="membership-blocked"]'), null, { timeout: 20000 });

for (const [w, h] of [[1280, 720], [390, 844]]) {
  test(`a joint change from the cluster panel: C_old,new on the ring, then C_new (${w}x${h})`, async () => {
    const page = await open(browser, srv.url, '?servers=3&seed=3&autoplay=off&speed=0.05', { width: w, height: h });
    await tab(page, 'cluster');
    // Paused at 0 s: no leader yet, so the change is disabled and says why.
    assert.equal(await page.isDisabled('[data-testid="joint-change"]'), true);
    assert.match(await page.textContent('[data-testid="membership-blocked"]'), /there is no leader/);
    await page.click('[data-testid="play"]');
    const l = await waitLeader(page);
    await settled(page);
    assert.equal(await picked(page), 's1 s2 s3', 'the pick starts from the current voters');
    assert.match(await attr(page, '[data-testid="joint-change"]', 'title'), /different from the current one/);
    assert.equal(await page.$('[data-testid="joint-plan"]'), null);
    // {s1 s2 s3} -> {s1 s2 s4 s5}, keeping the leader.
    const keep = ['s1', 's2', 's3'].filter((s) => s !== l.name)[0];
    const drop = ['s1', 's2', 's3'].filter((s) => s !== l.name && s !== keep)[0];
    await page.click(`[data-pick="${drop}"]`);
    await page.click('[data-pick="s4"]');
    await page.click('[data-pick="s5"]');
    const want = [l.name, keep, 's4', 's5'].sort().join(' ');
    assert.equal(await picked(page), want);
    assert.equal(await page.textContent('[data-testid="joint-plan"]'), `{s1 s2 s3} → C_old,new → {${want}}; joining: s4 s5; leaving: ${drop}`);
    assert.equal(await page.isDisabled('[data-testid="joint-change"]'), false);
    await page.click('[data-testid="play"]'); // pause, to follow the change step by step
    await page.waitForSelector('.app[data-playing="false"]');
    await page.click('[data-testid="joint-change"]');
    // One change at a time: every membership button now says why it waits.
    await page.waitForSelector('[data-testid="membership-blocked"]');
    assert.match(await page.textContent('[data-testid="membership-blocked"]'), /change members .* still under way/);
    assert.equal(await page.isDisabled('[data-testid="add-learner"]'), true);
    // The ring while joint: both configurations, each server's O / N marks, the majorities.
    // New servers catch up as learners first, then C_old,new.
    await stepUntil(page, '[data-testid="membership"][data-learners="s4 s5"]');
    await stepUntil(page, '[data-testid="membership"][data-joint="true"]');
    assert.equal(await attr(page, '[data-testid="membership"]', 'data-old'), 's1 s2 s3');
    assert.equal(await attr(page, '[data-testid="membership"]', 'data-new'), want);
    assert.equal(await attr(page, `[data-server="${drop}"] [data-joint-marks]`, 'data-joint-marks'), 'old');
    assert.equal(await attr(page, '[data-server="s4"] [data-joint-marks]', 'data-joint-marks'), 'new');
    assert.equal(await attr(page, `[data-server="${l.name}"] [data-joint-marks]`, 'data-joint-marks'), 'old new');
    assert.match(await attr(page, `[data-server="${l.name}"] [data-joint-marks]`, 'data-counted'), /old new/, 'the leader counts its own ack in both');
    const m = await page.$eval('[data-testid="majorities"]', (e) => ({ ...e.dataset, text: e.textContent }));
    assert.equal(m.count, 'acks');
    assert.match(m.old, /^\d\/3$/);
    assert.match(m.new, /^\d\/4$/);
    assert.match(m.text, /old \d\/3.* · new \d\/4/);
    // The leader's log marks the joint entry, named in its title.
    const joint = `[data-log="${l.name}"] td[data-config="joint"]`;
    assert.equal(await page.textContent(`${joint} .c`), 'Co,n');
    assert.match(await attr(page, joint, 'title'), new RegExp(`C_old,new \\(joint\\): .* — config \\{s1 s2 s3\\} -> \\{${want}\\}`));
    assert.match(await attr(page, `[data-log="${l.name}"] td[data-config="learner"]`, 'title'), /a learner joins: .* learners \{s4 s5\}/);
    assert.equal(await page.textContent(`[data-log="${l.name}"] td[data-config="learner"] .c`), 'L+2');
    await page.waitForTimeout(300); // let the paused frame settle for the picture
    await shot(page, `membership-joint-${w}x${h}`);
    // Then C_new alone: the old-only server leaves, the bar goes, the log says Cnew.
    await page.click('[data-testid="play"]');
    await page.waitForSelector(`[data-server="${drop}"][data-role="removed"]`, { timeout: 20000 });
    await page.waitForSelector('[data-testid="membership"]', { state: 'detached', timeout: 20000 });
    await page.waitForFunction((n) => document.querySelector(`[data-log="${n}"] td[data-config="new"]`), l.name);
    assert.match(await attr(page, `[data-log="${l.name}"] td[data-config="new"]`, 'title'), new RegExp(`^index \\d+, term \\d+: C_new: .* — config \\{${want}\\}`));
    await settled(page);
    assert.equal(await picked(page), want, 'the chips show the voters now');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('a learner: added from the cluster panel, drawn as one, then promoted to a voter', async () => {
  const page = await open(browser, srv.url, '?servers=3&seed=4&speed=0.2');
  await tab(page, 'cluster');
  await waitLeader(page);
  await settled(page);
  assert.equal(await page.$('[data-promote]'), null, 'no learner to promote');
  assert.equal(await page.textContent('[data-testid="add-learner"]'), 'Add s4 as learner');
  await page.click('[data-testid="add-learner"]');
  await page.waitForSelector('[data-server="s4"][data-role="learner"]', { timeout: 20000 });
  await page.waitForSelector('[data-testid="membership"][data-learners="s4"]');
  assert.match(await page.textContent('[data-testid="membership"]'), /learners \(dashed\) s4/);
  await settled(page);
  const l = await attr(page, '.app', 'data-leader');
  assert.match(await attr(page, `[data-log="${l}"] td[data-config="learner"]`, 'title'), /a learner joins: .* — config \{s1 s2 s3\} learners \{s4\}/);
  assert.equal(await page.textContent('[data-log="s4"] td[data-config="learner"] .c'), 'L+s4', 'the learner\'s own log says so too');
  assert.equal(await page.isDisabled('[data-promote="s4"]'), false);
  await page.click('[data-promote="s4"]');
  await page.waitForSelector('[data-server="s4"][data-role="follower"]', { timeout: 20000 });
  await page.waitForFunction((n) => document.querySelector(`[data-log="${n}"] td[data-config="promote"]`), l);
  assert.match(await attr(page, `[data-log="${l}"] td[data-config="promote"]`, 'title'), /a learner promoted to voter — config \{s1 s2 s3 s4\}/);
  assert.equal(await page.textContent(`[data-log="${l}"] td[data-config="promote"] .c`), '↑s4');
  await page.waitForSelector('[data-testid="membership"]', { state: 'detached', timeout: 20000 });
  await settled(page);
  assert.equal(await picked(page), 's1 s2 s3 s4', 'the chips show the voters now');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('read mode and clocks from the timing panel: a lease read, then a slow leader clock', async () => {
  const page = await open(browser, srv.url, '?servers=3&seed=6&speed=0.2');
  await tab(page, 'timing');
  const l = await waitLeader(page);
  assert.equal(await page.inputValue('[data-testid="read-mode"]'), 'read-index');
  // ReadIndex: the read waits for a heartbeat round.
  await page.fill('[data-testid="get-key"]', 'x');
  await page.click('[data-testid="get"]');
  await feedHas(page, new RegExp(`${l.name} answered read of x at read index`));
  // Lease: the leader answers at once, from its lease.
  await page.selectOption('[data-testid="read-mode"]', 'lease');
  assert.match(await page.textContent('[data-testid="read-mode-text"]'), /Lease: a leader answers a get at once/);
  await page.waitForTimeout(400); // a heartbeat round or two (5 ms of virtual time per 25 ms)
  await page.click('[data-testid="get"]');
  await feedHas(page, new RegExp(`${l.name} answered read of x at index \\d+ from its lease`));
  // A bad rate is refused, and said so.
  await page.fill(`[data-drift="${l.name}"]`, 'fast');
  await page.press(`[data-drift="${l.name}"]`, 'Enter');
  await page.waitForSelector('[data-testid="error"]');
  assert.match(await page.textContent('[data-testid="error"]'), /a clock rate is a number/);
  assert.equal(await attr(page, '[data-testid="drift-hint"]', 'data-hint'), 'ok');
  // The leader's clock ten times slow: beyond the lease's margin (said), and its
  // heartbeats now come every 500 ms, so a follower times out and takes over.
  await page.fill(`[data-drift="${l.name}"]`, '0.1');
  await page.press(`[data-drift="${l.name}"]`, 'Enter');
  await page.waitForSelector('[data-testid="drift-hint"][data-hint="bad"]');
  assert.match(await page.textContent('[data-testid="drift-hint"]'), /Clocks apart by ×10: beyond the lease's margin of ×1.25/);
  const next = await waitLeader(page, 30000, l.name);
  assert.ok(next.term > l.term, `a new leader in a later term (${JSON.stringify(next)})`);
  await feedHas(page, new RegExp(`${next.name} became leader in term ${next.term}`));
  assert.deepEqual(page.errors, []);
  await page.close();
});
