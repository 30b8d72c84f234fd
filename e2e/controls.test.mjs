// End-to-end: every control of the page — the inspector's actions, the client, messages
// (drop/duplicate), the network (partition, cut, heal, loss, duplication, latency), timing
// with its hints, membership, new cluster and the feature toggles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, open, shot, servers, waitLeader, setRange, tab } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const feedHas = (page, re) => page.waitForFunction((src) => {
  const r = new RegExp(src);
  return [...document.querySelectorAll('.feed-item')].some((e) => r.test(e.textContent));
}, re.source, { timeout: 10000 });

async function follower(page, not = []) {
  const s = await servers(page);
  return Object.keys(s).find((n) => s[n].role === 'follower' && !not.includes(n));
}

test('inspector: force a timeout, transfer leadership, compact, crash/restart, remove', async () => {
  const page = await open(browser, srv.url, '?speed=1&seed=5');
  const l0 = await waitLeader(page);
  // Force a timeout: the follower starts an election in a higher term.
  const f = await follower(page);
  await page.click(`[data-server="${f}"]`);
  await page.waitForSelector(`[data-inspected="${f}"]`);
  await page.click('[data-action="timeout"]');
  await page.waitForFunction(([n, t]) => Number(document.querySelector(`[data-server="${n}"]`).dataset.term) > t, [f, l0.term]);
  await feedHas(page, new RegExp(`${f}'s election timer fired`));
  const l1 = await waitLeader(page);
  await page.waitForFunction((t) => {
    const l = document.querySelector('.app').dataset.leader;
    return l && Number(document.querySelector(`[data-server="${l}"]`).dataset.term) > t;
  }, l0.term);
  // Transfer leadership to another follower. A transfer asked while an election is still
  // settling (the forced timeout above can start a second one) goes to no leader or is
  // given up after an election timeout, as a user would see: then ask again.
  const g = await follower(page, [f, l1.name]);
  for (let attempt = 1; ; attempt++) {
    await waitLeader(page);
    await page.click(`[data-server="${g}"]`);
    await page.click('[data-action="transfer"]');
    try {
      await page.waitForFunction((n) => document.querySelector('.app').dataset.leader === n, g, { timeout: 5000 });
      break;
    } catch (e) {
      if (attempt === 3) {
        console.log((await page.$$eval('.feed-item', (els) => els.map((x) => x.textContent))).slice(0, 30).join('\n'));
        throw e;
      }
    }
  }
  // Some writes, then compact the new leader's log.
  // One request at a time, as a user does: each one is in the client's history with what
  // was typed before the next is typed.
  for (const v of ['1', '2', '3']) {
    await page.fill('[data-testid="put-key"]', 'k' + v);
    await page.fill('[data-testid="put-value"]', v);
    await page.click('[data-testid="put"]');
    await page.waitForFunction((v) => document.querySelector('[data-testid="client-history"] .op')?.textContent.endsWith(`put k${v} ${v}`), v);
  }
  try {
    await page.waitForFunction(() => [...document.querySelectorAll('[data-kv]')].filter((e) => e.textContent.includes('k3=3')).length >= 3, null, { timeout: 10000 });
  } catch (e) {
    await shot(page, 'debug-inspector');
    console.log(await page.textContent('[data-testid="client"]'));
    console.log((await page.$$eval('.feed-item', (els) => els.map((x) => x.textContent))).slice(0, 30).join('\n'));
    throw e;
  }
  await page.click(`[data-server="${g}"]`);
  await page.click('[data-action="compact"]');
  await page.waitForSelector(`[data-log="${g}"] .cell.snap`);
  await feedHas(page, /took a snapshot/);
  await shot(page, 'compacted');
  // Crash and restart a follower.
  await page.click(`[data-server="${f}"]`);
  await page.click('[data-action="crash"]');
  await page.waitForSelector(`[data-server="${f}"][data-role="crashed"]`);
  await page.click('[data-action="restart"]');
  await page.waitForSelector(`[data-server="${f}"][data-role="follower"]`);
  // Isolate it, then heal.
  await page.click('[data-action="isolate"]');
  await page.waitForSelector(`[data-link*="${f}"][data-state="cut"]`);
  await page.keyboard.press('h');
  await page.waitForSelector(`[data-link*="${f}"][data-state="cut"]`, { state: 'detached' });
  // Remove it through a membership change: it ends up drawn as removed.
  await page.click('[data-action="remove"]');
  await page.waitForSelector(`[data-server="${f}"][data-role="removed"]`, { timeout: 10000 });
  await shot(page, 'removed');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the client panel stays in place while the inspected server changes role', async () => {
  const page = await open(browser, srv.url, '?speed=1&seed=5');
  await waitLeader(page);
  const f = await follower(page);
  await page.click(`[data-server="${f}"]`);
  await page.waitForSelector(`[data-inspected="${f}"]`);
  const before = await page.locator('[data-testid="put"]').boundingBox();
  // The follower campaigns and wins: its inspector gains the leader's progress table.
  await page.click('[data-action="timeout"]');
  await page.waitForFunction((n) => document.querySelector('.app').dataset.leader === n, f, { timeout: 10000 });
  await page.waitForSelector('[data-testid="inspector"] table.progress');
  const after = await page.locator('[data-testid="put"]').boundingBox();
  assert.equal(Math.round(after.y), Math.round(before.y), 'the put button did not move');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the event feed holds still while pointed at, then catches up', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  await waitLeader(page);
  const first = () => page.$eval('.feed-item', (e) => e.dataset.feedTime + ' ' + e.textContent);
  await page.keyboard.press('1'); // select s1
  await page.hover('.feed-item');
  const held = await first();
  // Force s1's election timer (keyboard, the pointer stays on the feed): an election
  // follows, with plenty of events to report.
  await page.keyboard.press('t');
  await page.waitForSelector('[data-testid="feed-held"]');
  assert.equal(await first(), held, 'the list under the pointer did not change');
  await page.mouse.move(5, 5);
  await page.waitForFunction((h) => {
    const e = document.querySelector('.feed-item');
    return e && e.dataset.feedTime + ' ' + e.textContent !== h;
  }, held);
  assert.equal(await page.$('[data-testid="feed-held"]'), null);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a put submits what was just typed, even on a busy page', async () => {
  // 9 servers at full speed keep the page re-rendering; each put is typed and clicked at
  // once, without waiting for the page to catch up.
  const page = await open(browser, srv.url, '?speed=10&servers=9');
  await waitLeader(page);
  for (let i = 1; i <= 8; i++) {
    await page.fill('[data-testid="put-key"]', `q${i}`);
    await page.fill('[data-testid="put-value"]', `v${i}`);
    await page.click('[data-testid="put"]');
  }
  await page.waitForFunction(() => document.querySelectorAll('ol.history li').length >= 8, null, { timeout: 20000 });
  const ops = await page.$$eval('ol.history .op', (els) => els.map((e) => e.textContent.replace(/^#\d+ /, '')));
  for (let i = 1; i <= 8; i++) assert.ok(ops.includes(`put q${i} v${i}`), `put q${i} v${i} in ${JSON.stringify(ops)}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('client: put and get with result, path and history; logs and state machines', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  await waitLeader(page);
  // Typed text survives re-renders while the cluster runs (controlled fields).
  await page.fill('[data-testid="put-key"]', 'typed');
  await page.fill('[data-testid="get-key"]', 'typed2');
  await page.click('[data-testid="put"]');
  await page.waitForTimeout(700);
  assert.equal(await page.inputValue('[data-testid="put-key"]'), 'typed');
  assert.equal(await page.inputValue('[data-testid="get-key"]'), 'typed2');
  await page.fill('[data-testid="put-key"]', 'x');
  await page.fill('[data-testid="put-value"]', '42');
  await page.click('[data-testid="put"]');
  await page.waitForFunction(() => /put x 42.*ok/.test(document.querySelector('[data-testid="client-result"]')?.textContent || ''));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-kv]')].every((e) => e.textContent.includes('x=42')), null, { timeout: 10000 });
  await page.fill('[data-testid="get-key"]', 'x');
  await page.click('[data-testid="get"]');
  await page.waitForFunction(() => /get x.*= 42/.test(document.querySelector('[data-testid="client-result"]')?.textContent || ''));
  assert.ok(await page.locator('[data-testid="client-history"] li').count() >= 2);
  assert.ok(await page.locator('[data-testid="client-result"] .hop').count() >= 1);
  // The log shows committed entries coloured by term, with the command.
  assert.ok(await page.locator('.log-row .cell.committed[data-term]').count() >= 10);
  assert.ok(await page.locator('.log-row .cell.put', { hasText: 'x=42' }).count() >= 3);
  assert.ok(await page.locator('.mk.next').count() >= 1, 'the leader\'s nextIndex markers');
  assert.ok(await page.locator('.mk.match').count() >= 1, 'the leader\'s matchIndex markers');
  // A bad key is refused with a message, not a panic.
  await page.fill('[data-testid="put-key"]', 'a b');
  await page.click('[data-testid="put"]');
  await page.waitForSelector('[data-testid="error"]');
  await shot(page, 'client');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('messages: click one in flight to drop it or duplicate it', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  await waitLeader(page);
  await page.click('[data-testid="play"]');
  for (const action of ['duplicate', 'drop']) {
    // Step until a message is in the open (not under a server, which is drawn above it),
    // then click it where a user would: at its centre.
    let spot = null;
    for (let i = 0; i < 500 && !spot; i++) {
      await page.click('[data-testid="step"]');
      spot = await page.evaluate(() => {
        for (const m of document.querySelectorAll('[data-msg-type]')) {
          const r = m.querySelector('.msg-hit').getBoundingClientRect();
          const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
          if (document.elementFromPoint(x, y)?.closest('[data-msg-type]') === m) return { x, y };
        }
        return null;
      });
    }
    assert.ok(spot, 'a message in flight away from the servers');
    await page.mouse.click(spot.x, spot.y);
    await page.waitForSelector('[data-testid="msgbox"]');
    const id = await page.getAttribute('[data-testid="msgbox"]', 'data-msg-id');
    await page.waitForSelector(`.msg.selected[data-msg-id="${id}"]`);
    if (action === 'duplicate') await shot(page, 'message-selected');
    await page.click(`[data-testid="msgbox"] [data-action="${action}"]`);
    await feedHas(page, new RegExp(`${action === 'drop' ? 'dropped' : 'duplicated'}\\D+${id}\\b`));
    if (action === 'drop') assert.equal(await page.$(`[data-msg-id="${id}"]`), null);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('network: partition by groups, heal, cut and mend a link, loss, duplication, latency', async () => {
  const page = await open(browser, srv.url, '?speed=1&seed=2');
  await waitLeader(page);
  await tab(page, 'network');
  await page.click('[data-group-server="s1"]');
  await page.click('[data-group-server="s2"]');
  assert.equal(await page.getAttribute('[data-group-server="s1"]', 'data-group'), '1');
  await page.click('[data-testid="apply-partition"]');
  await page.waitForSelector('[data-testid="partition-state"]');
  assert.equal(await page.getAttribute('[data-link="s1-s3"]', 'data-state'), 'blocked');
  assert.equal(await page.getAttribute('[data-link="s1-s2"]', 'data-state'), 'up');
  await page.waitForFunction(() => ['s3', 's4', 's5'].includes(document.querySelector('.app').dataset.leader), null, { timeout: 15000 });
  await shot(page, 'partition');
  await page.click('[data-testid="heal"]');
  await page.waitForSelector('[data-testid="partition-state"]', { state: 'detached' });
  assert.equal(await page.getAttribute('[data-link="s1-s3"]', 'data-state'), 'up');
  // Cut one link by clicking it, then mend it the same way (and with the mend button).
  await page.click('[data-link="s1-s2"] .link-hit');
  assert.equal(await page.getAttribute('[data-link="s1-s2"]', 'data-state'), 'cut');
  await page.click('[data-link="s1-s2"] .link-hit');
  assert.equal(await page.getAttribute('[data-link="s1-s2"]', 'data-state'), 'up');
  await page.click('[data-link="s2-s3"] .link-hit');
  await page.click('[data-mend="s2-s3"]');
  assert.equal(await page.getAttribute('[data-link="s2-s3"]', 'data-state'), 'up');
  // Sliders.
  for (const [id, v, text] of [['loss', 20, '20%'], ['duplicate', 10, '10%'], ['latency-max', 40, '40 ms'], ['latency-min', 20, '20 ms']]) {
    await setRange(page, `[data-testid="${id}"]`, v);
    await page.waitForFunction(([id, text]) => document.querySelector(`[data-testid="${id}"]`).parentElement.querySelector('.sl-value').textContent === text, [id, text]);
  }
  await feedHas(page, /set loss 20%/);
  await feedHas(page, /set latency 20ms\.\.40ms/);
  await shot(page, 'lossy-network');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('timing: election timeout and heartbeat sliders with stability hints', async () => {
  const page = await open(browser, srv.url, '?speed=1');
  await tab(page, 'timing');
  await page.waitForSelector('[data-hint="ok"]');
  await setRange(page, '[data-testid="heartbeat"]', 200);
  await page.waitForFunction(() => /Heartbeat/.test(document.querySelector('[data-hint="bad"]')?.textContent || ''));
  await setRange(page, '[data-testid="heartbeat"]', 50);
  await setRange(page, '[data-testid="election-max"]', 151);
  await page.waitForFunction(() => /range/.test(document.querySelector('[data-hint="bad"]')?.textContent || ''));
  await shot(page, 'timing-hints');
  await setRange(page, '[data-testid="election-min"]', 400);
  // min > max pushes max up with it.
  await page.waitForFunction(() => document.querySelector('[data-testid="election-max"]').parentElement.querySelector('.sl-value').textContent === '400 ms');
  await setRange(page, '[data-testid="election-max"]', 800);
  await page.waitForSelector('[data-hint="ok"]');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('cluster: add and remove a server by membership change, feature toggles, new cluster', async () => {
  const page = await open(browser, srv.url, '?speed=1&servers=3');
  await waitLeader(page);
  await tab(page, 'cluster');
  await page.click('[data-testid="add-server"]');
  await page.waitForSelector('[data-server="s4"]');
  // It catches up and joins: its log gets the configuration entry.
  await page.waitForSelector('[data-log="s4"] .cell.config', { timeout: 10000 });
  await feedHas(page, /appended configuration \{s1 s2 s3 s4\}/);
  await page.selectOption('[data-testid="remove-which"]', 's4');
  await page.click('[data-testid="remove-server"]');
  await page.waitForSelector('[data-server="s4"][data-role="removed"]', { timeout: 10000 });
  // Feature toggles.
  await page.check('[data-testid="prevote"]');
  await feedHas(page, /set prevote on/);
  await page.check('[data-testid="check-quorum"]');
  await feedHas(page, /set check-quorum on/);
  await page.check('[data-testid="auto-snapshot"]');
  await feedHas(page, /set snapshot-factor 4/);
  await page.fill('[data-testid="snapshot-factor"]', '2');
  await page.press('[data-testid="snapshot-factor"]', 'Enter');
  await feedHas(page, /set snapshot-factor 2/);
  await shot(page, 'cluster-panel');
  // A new cluster of 7 servers with another seed.
  await page.selectOption('[data-testid="new-size"]', '7');
  await page.fill('[data-testid="new-seed"]', '9');
  await page.waitForTimeout(500);
  assert.equal(await page.inputValue('[data-testid="new-size"]'), '7');
  assert.equal(await page.inputValue('[data-testid="new-seed"]'), '9');
  await page.click('[data-testid="new-cluster"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-server]').length === 7);
  const l = await waitLeader(page);
  assert.ok(l.term >= 1);
  assert.equal(await page.isChecked('[data-testid="prevote"]'), true, 'settings carry over to the new cluster');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a narrow window (420 px) shows the whole cluster', async () => {
  const page = await open(browser, srv.url, '?speed=1', { width: 420, height: 900 });
  await waitLeader(page);
  const box = await page.locator('svg.ring').boundingBox();
  assert.ok(box.width <= 420 && box.width > 300, `ring width ${box.width}`);
  await shot(page, 'narrow');
  await page.close();
});
