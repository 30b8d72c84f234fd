// End-to-end: every shipped tour (tours/*.raft) plays in the page from the Tours tab to its
// end, pressing Next at each pause, with every expectation holding; Back returns to the
// previous pause.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launch, open, shot, tab } from './lib.mjs';

const TOUR_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'tours');
const TOURS = readdirSync(TOUR_DIR)
  .filter((f) => f.endsWith('.raft')).map((f) => f.replace(/\.raft$/, '')).sort();
// A tour that demonstrates a safety violation names it (`violation election-safety`): it
// plays to its end, and the page shows that violation.
const expectsViolation = (id) => /^\s*(expect|run until) violation /m.test(readFileSync(join(TOUR_DIR, id + '.raft'), 'utf8'));

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const state = (page) => page.getAttribute('[data-testid="caption"]', 'data-state');

test('the Tours tab lists every tour', async () => {
  const page = await open(browser, srv.url, '?autoplay=0');
  await tab(page, 'tours');
  const listed = await page.$$eval('[data-tour]', (els) => els.map((e) => e.getAttribute('data-tour')));
  assert.deepEqual(listed, TOURS);
  assert.ok(TOURS.length >= 6);
  await shot(page, 'tours-list');
  await page.close();
});

for (const id of TOURS) {
  test(`tour ${id} plays to its end with every expectation held`, async () => {
    const page = await open(browser, srv.url, '?speed=10&autoplay=0');
    await tab(page, 'tours');
    await page.click(`[data-tour="${id}"]`);
    await page.waitForSelector('[data-testid="caption"]');
    let pauses = 0;
    for (let i = 0; i < 50; i++) {
      // The next stop: a pause beyond the ones already passed, or the end.
      await page.waitForFunction((n) => {
        const c = document.querySelector('[data-testid="caption"]');
        const s = c?.getAttribute('data-state');
        return s === 'pass' || s === 'fail' || (s === 'paused' && Number(c.getAttribute('data-pauses')) > n);
      }, pauses, { timeout: 60000 });
      if (await state(page) !== 'paused') break;
      pauses = Number(await page.getAttribute('[data-testid="caption"]', 'data-pauses'));
      if (pauses === 1) await shot(page, `tour-${id}`);
      await page.click('[data-testid="next"]');
    }
    assert.equal(await state(page), 'pass', await page.innerText('[data-testid="caption"]'));
    assert.ok(pauses >= 1, 'a tour stops at its pauses');
    assert.equal(await page.getAttribute('[data-testid="caption"]', 'data-checks-failed'), '0');
    assert.ok(Number(await page.getAttribute('[data-testid="caption"]', 'data-checks-passed')) >= 1);
    assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-safety'),
      expectsViolation(id) ? 'violation' : 'ok');
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

test('Back returns to the previous pause of a tour (replayed), Next goes on again', async () => {
  const page = await open(browser, srv.url, '?speed=10&autoplay=0');
  await tab(page, 'tours');
  await page.click(`[data-tour="${TOURS[0]}"]`);
  const waitPaused = (n) => page.waitForSelector(`[data-testid="caption"][data-state="paused"][data-pauses="${n}"]`, { timeout: 60000 });
  await waitPaused(1);
  const first = await page.innerText('[data-testid="caption"] .cap-text');
  await page.click('[data-testid="next"]');
  await waitPaused(2);
  const second = await page.innerText('[data-testid="caption"] .cap-text');
  await page.click('[data-testid="back"]');
  await waitPaused(1);
  assert.equal(await page.innerText('[data-testid="caption"] .cap-text'), first);
  await page.click('[data-testid="next"]');
  await waitPaused(2);
  assert.equal(await page.innerText('[data-testid="caption"] .cap-text'), second);
  await shot(page, 'tour-back');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('Resume from here asks before discarding the future: Cancel keeps it, Discard (by keyboard) resumes', async () => {
  const page = await open(browser, srv.url, '?speed=10&autoplay=0');
  await tab(page, 'tours');
  await page.click(`[data-tour="${TOURS[0]}"]`);
  await page.waitForSelector('[data-testid="caption"][data-state="paused"][data-pauses="1"]', { timeout: 60000 });
  await page.click('[data-testid="next"]');
  await page.waitForSelector('[data-testid="caption"][data-state="paused"][data-pauses="2"]', { timeout: 60000 });
  await page.click('[data-testid="next"]');
  await page.waitForSelector('[data-testid="caption"][data-state="paused"][data-pauses="3"]', { timeout: 60000 });
  const live = Number(await page.getAttribute('.scrub', 'max'));
  assert.ok(live > 0);
  await page.click('[data-testid="timeline"] [data-testid="back"]');
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'true');
  const at = Number(await page.getAttribute('[data-virtual-time-us]', 'data-virtual-time-us'));
  assert.ok(at > 0 && at < live);
  // Asking does nothing yet: an inline confirmation, the focus on Cancel.
  await page.click('[data-testid="resume-here"]');
  await page.waitForSelector('[data-testid="resume-confirm"]');
  assert.match(await page.innerText('[data-testid="resume-confirm"]'), /will be discarded/);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'resume-cancel');
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'true');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="resume-confirm"]', { state: 'detached' });
  assert.equal(await page.getAttribute('.app', 'data-travelling'), 'true');
  assert.equal(Number(await page.getAttribute('.scrub', 'max')), live, 'Cancel keeps the future');
  // Again, and Discard by keyboard (Tab from Cancel, Enter).
  await page.click('[data-testid="resume-here"]');
  await page.waitForSelector('[data-testid="resume-confirm"]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'resume-discard');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.app[data-travelling="false"]');
  assert.equal(Number(await page.getAttribute('.scrub', 'max')), at, 'the old future is gone');
  await page.waitForSelector('[data-testid="resume-confirm"]', { state: 'detached' });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the log view reaches every index: older / newer move its window, the newest follows again', async () => {
  // The tours' logs are short (Figure 8's has the paper's 4 entries at most); the scenario
  // figure8-commit.raft ends with over 70 entries on every server.
  const page = await open(browser, srv.url, '?speed=10&scenario=scenarios/figure8-commit.raft');
  await page.waitForSelector('[data-testid="caption"][data-state="pass"]', { timeout: 60000 });
  const win = async () => page.$eval('[data-log-first]', (e) => [Number(e.dataset.logFirst), Number(e.dataset.logLast), e.dataset.logFollowing]);
  const [first, last, following] = await win();
  assert.equal(following, 'true');
  assert.ok(first > 1, 'a long log starts out showing its newest indexes');
  assert.equal(await page.$$eval('.log-table th.idx', (els) => els.some((e) => e.textContent === '1')), false);
  await page.click('[data-testid="log-oldest"]');
  assert.deepEqual((await win()).slice(0, 1), [1]);
  assert.equal(await page.$$eval('.log-table th.idx', (els) => els[0].textContent), '1');
  await page.click('[data-testid="log-newer"]');
  assert.ok((await win())[0] > 1);
  await page.click('[data-testid="log-newest"]');
  assert.deepEqual(await win(), [first, last, 'true']);
  assert.deepEqual(page.errors, []);
  await page.close();
});
