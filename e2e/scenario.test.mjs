// End-to-end: loading .raft scenarios (examples, pasted text, a file), captions and
// pauses with Next, pass/fail of expectations, parse errors with line:col, and a safety
// violation stopping playback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, open, shot, tab } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

async function load(page, text) {
  await tab(page, 'scenario');
  await page.fill('[data-testid="scenario-text"]', text);
  await page.click('[data-testid="load-scenario"]');
}

test('an example tour plays with captions, stops at pauses until Next, and passes', async () => {
  const page = await open(browser, srv.url, '?speed=2');
  await tab(page, 'scenario');
  await page.selectOption('[data-testid="examples"]', '0');
  assert.match(await page.inputValue('[data-testid="scenario-text"]'), /say "/);
  await page.click('[data-testid="load-scenario"]');
  await page.waitForSelector('[data-testid="caption"]');
  let pauses = 0;
  for (;;) {
    await page.waitForSelector('[data-testid="next"], [data-testid="scenario-outcome"]', { timeout: 20000 });
    if (await page.$('[data-testid="scenario-outcome"]')) break;
    assert.equal(await page.getAttribute('.app', 'data-playing'), 'false', 'a pause stops playback');
    if (pauses === 1) await shot(page, 'tour-caption');
    await page.click('[data-testid="next"]');
    pauses++;
  }
  assert.ok(pauses >= 2, `stopped at ${pauses} pauses`);
  assert.match(await page.textContent('[data-testid="scenario-outcome"]'), /passed/);
  assert.equal(await page.getAttribute('[data-testid="scenario-state"]', 'data-state'), 'pass');
  assert.ok(await page.locator('[data-testid="checks"] li[data-ok="true"]').count() >= 1);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('expectations pass or fail in the page', async () => {
  const page = await open(browser, srv.url, '?speed=5');
  await load(page, 'cluster 3\nseed 4\nrun until leader any within 3s\nexpect leader any\nexpect term leader 99\n');
  await page.waitForSelector('[data-testid="scenario-outcome"]', { timeout: 20000 });
  assert.match(await page.textContent('[data-testid="scenario-outcome"]'), /failed at line 5/);
  assert.equal(await page.locator('[data-testid="checks"] li[data-ok="true"]').count(), 2);
  assert.equal(await page.locator('[data-testid="checks"] li[data-ok="false"]').count(), 1);
  assert.match(await page.textContent('[data-testid="checks"] li[data-ok="false"]'), /term leader 99/);
  await shot(page, 'scenario-failed');
  await page.close();
});

test('a scenario with an error is refused with line:col and nothing runs', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  const before = await page.$$eval('[data-server]', (e) => e.length);
  await load(page, 'cluster 3\nrun 1s\nfrobnicate s1\n');
  await page.waitForSelector('[data-testid="scenario-error"]');
  assert.match(await page.textContent('[data-testid="scenario-error"]'), /^3:1: error: /);
  assert.equal(await page.$$eval('[data-server]', (e) => e.length), before, 'the cluster is unchanged');
  await shot(page, 'scenario-parse-error');
  await page.close();
});

test('a .raft file can be opened', async () => {
  const page = await open(browser, srv.url, '?speed=5');
  await tab(page, 'scenario');
  await page.setInputFiles('[data-testid="scenario-file"]', {
    name: 'three.raft', mimeType: 'text/plain',
    buffer: Buffer.from('cluster 3\nseed 9\nsay "three servers"\nrun until leader any within 3s\n'),
  });
  await page.waitForSelector('[data-testid="scenario-state"][data-state="pass"]', { timeout: 20000 });
  assert.equal(await page.$$eval('[data-server]', (e) => e.length), 3);
  assert.match(await page.textContent('[data-testid="caption"]'), /three servers/);
  await page.close();
});

test('a safety violation stops playback and is shown prominently', async () => {
  // `?bug=double-vote` switches on a deliberate bug (a second vote in the same term).
  const page = await open(browser, srv.url, '?speed=1&bug=double-vote');
  await load(page, 'cluster 3\nseed 1\ntimeout s1\ntimeout s2\nrun 2s\n');
  await page.waitForSelector('[data-testid="violation"]', { timeout: 20000 });
  assert.equal(await page.getAttribute('[data-testid="safety"]', 'data-safety'), 'violation');
  assert.match(await page.textContent('[data-testid="violation"]'), /election safety/);
  assert.equal(await page.getAttribute('.app', 'data-playing'), 'false');
  await shot(page, 'safety-violation');
  await page.close();
});
