// End-to-end: access for everyone. axe-core finds no serious or critical violation on the
// main page, the embed, presentation mode and a tour; every action works from the keyboard
// (cut/mend a link, select a server, drop a message, travel from a feed item; Space and
// Enter press the focused control); the help is a modal dialog; live regions announce
// role changes and captions; reduced motion keeps messages still; on a phone (touch) the
// ring, Play and the caption stay on screen while the panels scroll.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launch, open, shot, vtime, waitLeader } from './lib.mjs';

const AXE = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'axe-core', 'axe.min.js');

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

/** Runs axe-core on the page; returns its serious and critical violations, described. */
async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ': ' + n.failureSummary.split('\n').slice(1, 2).join('')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const pause = (page) => page.evaluate(() => {
  if (document.querySelector('.app')?.getAttribute('data-playing') === 'true') document.querySelector('[data-testid="play"]').click();
});

for (const [name, query, path] of [
  ['the main page', '?seed=3', 'index.html'],
  ['presentation mode', '?seed=3&present=1', 'index.html'],
  ['a tour', '?scenario=tours/01-election.raft&speed=10', 'index.html'],
  ['the embed example', '', 'embed-example.html'],
]) {
  test(`axe-core: no serious or critical violation on ${name}`, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(srv.url + path + query);
    await page.waitForSelector('[data-server]');
    if (query.includes('tour')) {
      await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 30000 });
    } else if (path === 'index.html') {
      await waitLeader(page);
      await pause(page);
    }
    const bad = await axe(page);
    assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
    await page.close();
  });
}

test('keyboard: cut and mend a link, select a server; Space presses the focused button', async () => {
  const page = await open(browser, srv.url, '?seed=3&speed=10');
  await waitLeader(page);
  await pause(page);
  await page.focus('[data-link="s1-s2"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-link="s1-s2"][data-state="cut"]');
  await page.keyboard.press(' ');
  await page.waitForSelector('[data-link="s1-s2"][data-state="up"]');
  assert.equal(await page.getAttribute('.app', 'data-playing'), 'false', 'Space mended the link, it did not play');

  await page.focus('[data-server="s3"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-server="s3"].selected');

  const t0 = await vtime(page);
  await page.focus('[data-testid="step"]');
  await page.keyboard.press(' ');
  await page.waitForFunction((t) => Number(document.querySelector('[data-virtual-time-us]').getAttribute('data-virtual-time-us')) > t, t0);
  assert.equal(await page.getAttribute('.app', 'data-playing'), 'false', 'Space on Step stepped, it did not play');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('keyboard: select a message in flight and drop it; travel from a feed item', async () => {
  const page = await open(browser, srv.url, '?seed=3&speed=0.05');
  await waitLeader(page);
  await pause(page);
  // Step until a message is in flight, then reach it with the keyboard.
  for (let i = 0; i < 200 && !(await page.$('[data-msg-id]')); i++) await page.click('[data-testid="step"]');
  const id = await page.getAttribute('[data-msg-id]', 'data-msg-id');
  await page.focus(`g[data-msg-id="${id}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-testid="msgbox"][data-msg-id="${id}"]`);
  await page.focus('[data-testid="msgbox"] [data-action="drop"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction((id) => !document.querySelector(`g[data-msg-id="${id}"]`), id);

  const item = await page.$('.feed-item:last-child button.ft');
  const t = Number(await page.$eval('.feed-item:last-child', (li) => li.getAttribute('data-feed-time')));
  await item.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.app[data-travelling="true"]');
  assert.ok(Math.abs((await vtime(page)) - t) <= 1, 'travelled to the item\'s moment');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the help is a modal dialog: focus moves in, Tab stays, Esc closes and focus returns', async () => {
  const page = await open(browser, srv.url, '?seed=3');
  await pause(page);
  await page.focus('[data-testid="help"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[role="dialog"][aria-modal="true"]');
  const label = await page.$eval('[role="dialog"]', (d) => document.getElementById(d.getAttribute('aria-labelledby'))?.textContent);
  assert.equal(label, 'What you are looking at');
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
  assert.equal(await focused(), 'help-close');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'help-close', 'Tab stays inside the dialog');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(), 'help-close');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[role="dialog"]', { state: 'detached' });
  assert.equal(await focused(), 'help', 'focus returns to the help button');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('live regions announce role changes and captions', async () => {
  const page = await open(browser, srv.url, '?speed=10&scenario=' + encodeURIComponent(
    'cluster 3\nseed 2\ntimeout s1\nrun until leader s1 within 1s\nsay "s1 leads term 1"\npause\n'));
  await page.waitForSelector('[data-testid="caption"][data-state="paused"]');
  assert.equal(await page.getAttribute('[data-testid="live-role"]', 'aria-live'), 'polite');
  assert.match(await page.textContent('[data-testid="live-role"]'), /s1.*leader/);
  assert.equal(await page.textContent('[data-testid="live-caption"]'), 's1 leads term 1');
  await page.close();
});

/** Each message's position at this moment: { id: transform }. */
const positions = (page) => page.$$eval('g[data-msg-id]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-msg-id'), e.getAttribute('transform')])));

async function movedMessages(reduce) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.emulateMedia({ reducedMotion: reduce ? 'reduce' : 'no-preference' });
  await page.goto(srv.url + 'index.html?seed=3&speed=0.02');
  await waitLeader(page);
  await pause(page);
  for (let i = 0; i < 200 && !(await page.$('[data-msg-id]')); i++) await page.click('[data-testid="step"]');
  let moved = 0, compared = 0;
  for (let round = 0; round < 20; round++) {
    const a = await positions(page);
    const t = await vtime(page);
    await page.click('[data-testid="step"]');
    await page.waitForFunction((t) => Number(document.querySelector('[data-virtual-time-us]').getAttribute('data-virtual-time-us')) > t, t);
    const b = await positions(page);
    for (const id of Object.keys(a)) if (id in b) { compared++; if (a[id] !== b[id]) moved++; }
  }
  await page.close();
  return { moved, compared };
}

test('reduced motion: messages wait at the middle of their link instead of moving', async () => {
  const calm = await movedMessages(true);
  const normal = await movedMessages(false);
  assert.ok(calm.compared > 0 && normal.compared > 0, 'messages were compared');
  assert.equal(calm.moved, 0, 'no message moved with prefers-reduced-motion');
  assert.ok(normal.moved > 0, 'without it messages move along their link');
});

/** A phone: 390×844, touch. */
async function phone(query) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(srv.url + 'index.html' + query);
  await page.waitForSelector('[data-server]');
  return { ctx, page };
}

/** Whether the element's box is entirely inside the viewport. */
const onScreen = (page, sel) => page.$eval(sel, (e) => {
  const r = e.getBoundingClientRect();
  return r.top >= -1 && r.left >= -1 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1 && r.height > 0;
});

test('phone: tapping a server brings its inspector into view, with the ring and Play still on screen', async () => {
  const { ctx, page } = await phone('?seed=3&speed=10');
  await waitLeader(page);
  await page.tap('[data-testid="phone-play"]');
  await page.waitForSelector('.app[data-playing="false"]');
  await page.tap('[data-server="s3"]');
  await page.waitForSelector('[data-testid="inspector"] >> text=s3');
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-testid="inspector"]').getBoundingClientRect();
    return r.top < innerHeight - 40 && r.top >= 0;
  });
  assert.ok(await onScreen(page, '.stage .ring'), 'the ring stays on screen');
  assert.ok(await onScreen(page, '[data-testid="phone-play"]'), 'Play stays on screen');
  // Scrolling the panels further keeps the ring where it is.
  await page.evaluate(() => window.scrollBy(0, 900));
  assert.ok(await onScreen(page, '.stage .ring'), 'the ring stays on screen while the panels scroll');
  await shot(page, 'a11y-phone-inspector');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('phone: after tapping a tour, its caption and Next are on screen', async () => {
  const { ctx, page } = await phone('?seed=3');
  await page.tap('[data-tab="tours"]');
  await page.tap('[data-tour="01-election"]');
  await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 30000 });
  assert.ok(await onScreen(page, '[data-testid="caption"]'), 'the caption is on screen');
  assert.ok(await onScreen(page, '[data-testid="next"]'), 'Next is on screen');
  await shot(page, 'a11y-phone-tour');
  await page.tap('[data-testid="next"]');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
