// End-to-end: the "why?" panel ([data-why]) answers, in the native code's sentences, for a
// log entry, a server's role and term, a message in flight and a leader's pending read,
// each in a scripted run; feed items open it at their moment, and it links back there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, open, shot, vtime } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

/** Opens the page on `text` (a scenario ending in a pause) and waits for that pause. */
async function at(text, viewport) {
  const page = await open(browser, srv.url, '?speed=10&scenario=' + encodeURIComponent(text), viewport);
  await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 30000 });
  return page;
}

const why = async (page, kind) => {
  await page.waitForSelector(`[data-why="${kind}"]`);
  return page.textContent(`[data-why="${kind}"]`);
};

test('a log entry on a minority: who holds it, and who is cut off', async () => {
  const page = await at('cluster 5\nseed 3\ntimeout s1\nrun until leader s1 within 1s\nrun 100ms\n'
    + 'partition s1 s2 | s3 s4 s5\nput x 1\nrun 100ms\nsay "x=1 is on s1 and s2"\npause\n');
  await page.click('[data-log="s1"] td[data-index="2"]');
  const t = await why(page, 'entry');
  assert.match(t, /Index 2 \(term 1\) is on s1 and s2 — 2 of 5 servers; a majority is 3\./);
  assert.match(t, /It is not committed: it is on 2 of 5; it needs 3\. S3, s4 and s5 are cut off from the leader s1\./);
  await shot(page, 'why-entry');
  await page.click('[data-log="s3"] td[data-index="1"]');
  assert.match(await why(page, 'entry'), /It is committed: s3's commit index is 1 ≥ 1\./);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a server's role and term: the campaign, the votes, who refused and why", async () => {
  const page = await at('cluster 3\nseed 2\nset election-timeout 1s..2s\nstate s1 term 2 log 1 2\n'
    + 'state s2 term 2 log 1 2\nstate s3 term 2 log 1\ntimeout s3\nrun 30ms\nsay "s3 lost"\npause\n');
  await page.click('[data-log="s3"] th.who');
  await page.click('[data-action="why-server"]');
  const t = await why(page, 'server');
  assert.match(t, /s3 is a follower in term 3 since [\d.]+ms: its campaign failed: a majority refused\./);
  assert.match(t, /s1 refused: its log is more up to date than s3's/);
  assert.match(t, /It is in term 3 since 0ms: its election timer fired \(forced by hand\)\./);
  await page.click('[data-log="s1"] th.who');
  await page.click('[data-action="why-server"]');
  await page.waitForFunction(() => document.querySelector('[data-why="server"]')?.innerText.includes('s1 is a follower'));
  assert.match(await why(page, 'server'), /learned of term 3 from s3's RequestVote/);
  await page.close();
});

test('a message in flight: the paper\'s field names and what the receiver will do', async () => {
  const page = await at('cluster 3\nseed 1\nset latency 10ms\ntimeout s2\nrun 1ms\nsay "votes asked"\npause\n');
  await page.click('[data-msg-type="vote"]');
  const t = await why(page, 'message');
  assert.match(t, /RequestVote #\d+: s2 → s\d/);
  assert.match(t, /term 1, candidateId s2, lastLogIndex 0, lastLogTerm 0\./);
  assert.match(t, /first moves to term 1 \(from 0\) and becomes a follower\. s\d will grant the vote/);
  await shot(page, 'why-message');
  await page.close();
});

test('a pending read on a cut-off leader waits for a majority of acks', async () => {
  const page = await at('cluster 5\nseed 4\ntimeout s1\nrun until leader s1 within 1s\nrun 200ms\n'
    + 'partition s1 s2 | s3 s4 s5\nget x\nrun 100ms\nsay "the read waits"\npause\n');
  await page.click('[data-log="s1"] th.who');
  await page.click('[data-action="why-read"]');
  assert.match(await why(page, 'read'),
    /get x: read index 1; waits for a heartbeat round acknowledged by a majority of term 1 \(3 of 5\): acks from s1 and s2\./);
  await page.close();
});

test('a feed item opens the explanation at its moment, which links back there', async () => {
  const page = await at('cluster 3\nseed 1\ntimeout s2\nrun until leader s2 within 1s\nrun 300ms\nsay "s2 leads"\npause\n');
  const link = page.locator('[data-action="feed-why"]').last(); // the oldest: s2's forced timeout
  await link.click();
  await page.waitForSelector('.app[data-travelling="true"]');
  const t = await why(page, 'server');
  assert.match(t, /s2 is a candidate in term 1 since 0ms: its election timer fired \(forced by hand\)/);
  await page.click('[data-action="why-moment"]');
  assert.equal(await vtime(page), 1); // just after the moment: the timeout at 0 included
  await shot(page, 'why-feed');
  await page.close();
});

test('the client sends to a chosen server: a stale leader never answers a read; Enter submits', async () => {
  const page = await at('cluster 5\nseed 4\ntimeout s1\nrun until leader s1 within 1s\nrun 200ms\n'
    + 'partition s1 s2 | s3 s4 s5\nrun 3s\nsay "s1 is a stale leader"\npause\n');
  await page.selectOption('[data-testid="client-via"]', 's1');
  await page.fill('[data-testid="get-key"]', 'x');
  await page.press('[data-testid="get-key"]', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="client-current"]'));
  assert.match(await page.textContent('[data-testid="client-current"]'), /get x.*→ s1 first try: sent where the user chose/s);
  await page.click('[data-testid="next"]'); // play on
  await page.waitForFunction(() => document.querySelector('[data-testid="client-result"]')?.textContent.includes('no answer from s1 (timeout)'),
    null, { timeout: 30000 });
  assert.match(await page.textContent('[data-testid="client-result"]'), /get x → = none \(unset\) by s[345]/);
  assert.equal(await page.inputValue('[data-testid="client-via"]'), 's1');
  await page.fill('[data-testid="put-key"]', 'y');
  await page.press('[data-testid="put-value"]', 'Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="client-history"]')?.textContent.includes('put y 1'),
    null, { timeout: 30000 });
  await shot(page, 'client-via');
  assert.deepEqual(page.errors, []);
  await page.close();
});
