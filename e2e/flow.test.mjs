// End-to-end: the leader's replication state for each follower is on the page — in the
// logs (the state and the appends in flight) and in the inspector (next, match, state,
// in flight / window, and why the leader is or is not sending, in a sentence).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, open, shot } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

// Every message takes 60 ms: 70 ms after the client's put reaches the leader (60 ms), the
// append carrying it is still on its way to both followers. s3 is isolated first, so the
// leader has given up on it (retry timeout) and only probes it.
const SCENARIO = `cluster 3
seed 2
set latency 60ms
set max-inflight 2
timeout s1
run until leader s1 within 1s
isolate s3
put a 1
run until commit s1 >= 2 within 2s
run 500ms
put a 2
run 130ms
pause`;

test('the inspector and the logs show each follower\'s flow-control state and why', async () => {
  const page = await open(browser, srv.url, '?autoplay=1&speed=1&scenario=' + encodeURIComponent(SCENARIO));
  await page.waitForSelector('[data-testid="next"]', { timeout: 20000 });
  await page.click('[data-server="s1"]');
  await page.waitForSelector('[data-testid="sending"]');
  const s2 = await page.textContent('[data-sending="s2"]');
  assert.match(s2, /^s2: replicate: sending entries from index 4 as they come \(1 of 2 appends in flight\)/);
  const s3 = await page.textContent('[data-sending="s3"]');
  assert.match(s3, /^s3: probe: /);
  const row = await page.$$eval('[data-progress-of="s2"] td', (tds) => tds.map((t) => t.textContent));
  assert.deepEqual(row, ['s2', '4', '2', 'replicate', '1/2']);
  assert.equal(await page.textContent('[data-pstate="s2"]'), 'replicate 1');
  assert.equal(await page.textContent('[data-pstate="s3"]'), 'probe');
  await shot(page, 'flow-control-inspector');
  assert.deepEqual(page.errors, []);
  await page.close();
});
