// End-to-end: presentation mode (issue 13 part 1). `?present=1`, the top bar's Present
// button and the `p` key; every label ≥ 14 px at 1280x720 measured from the rendered DOM
// (an SVG text's computed font size times its SVG's scale on screen); the ring on screen
// at browser zoom 150 % (853x480 CSS px at device scale 1.5) with the top bar on at most
// two rows; a slower default speed (1/50); the element attribute and the mount() option.
// Also the normal page's ring labels (≥ 11 px at 1280x720).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, open, shot, vtime } from './lib.mjs';

let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const HD = { width: 1280, height: 720 };
/** What browser zoom 150 % gives a 1280x720 window: 853x480 CSS px at device scale 1.5. */
const ZOOM150 = { viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 };

/**
 * Every visible text of `root` (a selector; inside open shadow roots too) as
 * { text, px, where }: px is the rendered size — for HTML the computed font size, for SVG
 * text the computed font size times the scale of its SVG on screen (getScreenCTM).
 */
async function labels(page, root = '.app') {
  return page.evaluate((rootSel) => {
    const out = [];
    const visit = (el) => {
      if (el.shadowRoot) visit(el.shadowRoot);
      for (const c of el.children ?? []) visit(c);
      if (!(el instanceof Element)) return;
      if (el.closest('title, defs, .sr-only')) return;
      const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
      if (!own) return;
      const cs = getComputedStyle(el);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return;
      if (el.closest('[hidden]')) return;
      let px = parseFloat(cs.fontSize);
      if (el instanceof SVGElement) {
        const m = el.getScreenCTM();
        px *= Math.hypot(m.a, m.b);
      }
      out.push({ text: own.slice(0, 40), px: Math.round(px * 100) / 100, where: el.getAttribute('class') || el.tagName.toLowerCase() });
    };
    for (const r of document.querySelectorAll(rootSel)) visit(r);
    return out;
  }, root);
}

function smallest(list) {
  return list.reduce((a, b) => (b.px < a.px ? b : a), { px: Infinity });
}

/** Distinct rows of the top bar's items (buttons, clock, speed, brand, safety). */
async function barRows(page, bar = '.topbar') {
  return page.$eval(bar, (b) => {
    const items = [...b.querySelectorAll('.btn, .clock, .speed, .brand, .safety')]
      .filter((e) => e.getBoundingClientRect().width > 0);
    const tops = items.map((e) => e.getBoundingClientRect().top).sort((x, y) => x - y);
    const rows = [];
    for (const t of tops) if (!rows.length || t - rows[rows.length - 1] > 12) rows.push(t);
    return rows.length;
  });
}

/** The ring's box, and whether it lies wholly inside the viewport. */
async function ringOnScreen(page, sel = 'svg.ring') {
  return page.$eval(sel, (svg) => {
    const r = svg.getBoundingClientRect();
    // The drawing itself (the viewBox fitted into the box, centred).
    const side = Math.min(r.width, r.height);
    const x = r.left + (r.width - side) / 2;
    const y = r.top + (r.height - side) / 2;
    return {
      box: [Math.round(x), Math.round(y), Math.round(side)],
      inside: x >= 0 && y >= 0 && x + side <= innerWidth + 0.5 && y + side <= innerHeight + 0.5 && side > 100,
      vw: innerWidth, vh: innerHeight,
    };
  });
}

/** Pauses with something of every kind of ring label drawn: a leader, votes recorded, a
 * labelled message in flight (steps instant by instant until one is). */
async function pauseWithLabels(page) {
  await page.waitForFunction(() => document.querySelector('.app')?.getAttribute('data-leader'), null, { timeout: 60000 });
  await page.waitForSelector('.server .svote');
  if ((await page.getAttribute('.app', 'data-playing')) === 'true') await page.click('[data-testid="play"]');
  await page.waitForSelector('.app[data-playing="false"]');
  for (let i = 0; i < 200 && !(await page.$('.msg-label')); i++) {
    await page.click('[data-testid="step"]');
  }
  await page.waitForSelector('.msg-label', { timeout: 1000 });
}

test('present=1 at 1280x720: every label ≥ 14 px, one compact bar, the ring, caption and logs', async () => {
  const page = await open(browser, srv.url, '?present=1&scenario=tours/01-election.raft&speed=0.2', HD);
  await page.waitForSelector('.app[data-present="true"] [data-testid="present-bar"]');
  // The tour stops at its first pause: the bar's Next goes on (and Back comes back).
  await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 60000 });
  await page.click('[data-testid="bar-next"]');
  await page.waitForSelector('[data-testid="caption"][data-pauses="2"][data-state="paused"]', { timeout: 60000 });
  await page.click('[data-testid="bar-back"]');
  await page.waitForSelector('[data-testid="caption"][data-pauses="1"][data-state="paused"]', { timeout: 60000 });
  await page.click('[data-testid="bar-next"]');
  await pauseWithLabels(page);
  const all = await labels(page);
  const ring = all.filter((l) => /sname|sterm|srole|svote|msg-label|client/.test(l.where));
  assert.ok(ring.some((l) => l.where === 'sterm') && ring.some((l) => l.where === 'svote') && ring.some((l) => l.where === 'msg-label'),
    `term, vote and message labels measured: ${JSON.stringify(ring.slice(0, 8))}`);
  assert.ok(all.some((l) => l.where === 'cap-text'), 'the caption is measured');
  assert.ok(all.some((l) => l.where === 't'), 'the log cells are measured');
  const min = smallest(all);
  console.log(`# present 1280x720: ${all.length} labels, smallest ${min.px} px (${min.where}: ${min.text})`);
  assert.ok(min.px >= 14, `every label ≥ 14 px; smallest: ${JSON.stringify(min)}; under 14: ${JSON.stringify(all.filter((l) => l.px < 14).slice(0, 10))}`);
  // The teacher's controls, in one row.
  for (const id of ['play', 'step', 'speed', 'clock', 'bar-crash', 'bar-partition', 'bar-back', 'bar-next', 'safety', 'present']) {
    assert.ok(await page.isVisible(`[data-testid="present-bar"] [data-testid="${id}"]`), id);
  }
  assert.equal(await barRows(page, '[data-testid="present-bar"]'), 1, 'one row at 1280x720');
  // The panels a projector does not need are gone; the ring is large and wholly visible.
  for (const gone of ['.controls-col', '.side-col', '[data-testid="timeline"]', '[data-spacetime]']) {
    assert.equal(await page.$(gone), null, gone);
  }
  const r = await ringOnScreen(page);
  assert.ok(r.inside, JSON.stringify(r));
  assert.ok(r.box[2] >= 560, `the ring fills the height: ${JSON.stringify(r)}`);
  await shot(page, 'present-1280x720');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('present mode acts: crash/restart and partition/heal the selected server, the leader by default', async () => {
  const page = await open(browser, srv.url, '?present=1&servers=5&seed=3&speed=0.5', HD);
  await page.waitForSelector('[data-testid="present-bar"]');
  const leader = await page.waitForFunction(() => document.querySelector('.app').getAttribute('data-leader'), null, { timeout: 60000 })
    .then((h) => h.jsonValue());
  // Nothing selected: the buttons act on the leader.
  assert.match(await page.textContent('[data-testid="bar-crash"]'), new RegExp(`Crash ${leader}`));
  await page.click('[data-server="s2"]');
  await page.waitForFunction(() => /Crash s2/.test(document.querySelector('[data-testid="bar-crash"]').textContent));
  await page.click('[data-testid="bar-crash"]');
  await page.waitForSelector('[data-server="s2"][data-role="crashed"]');
  assert.match(await page.textContent('[data-testid="bar-crash"]'), /Restart s2/);
  await page.click('[data-testid="bar-crash"]');
  await page.waitForSelector('[data-server="s2"]:not([data-role="crashed"])');
  await page.click('[data-testid="bar-partition"]');
  await page.waitForSelector('.link.blocked');
  assert.equal(await page.getAttribute('[data-testid="bar-partition"]', 'data-action'), 'heal');
  assert.equal(await page.$$eval('.link.blocked', (l) => l.filter((x) => /(^|-)s2(-|$)/.test(x.getAttribute('data-link'))).length), 4,
    's2 alone: its four links blocked');
  await page.click('[data-testid="bar-partition"]');
  await page.waitForFunction(() => !document.querySelector('.link.blocked'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the Present button and the p key switch presentation mode; the help names the key', async () => {
  const page = await open(browser, srv.url, '?servers=5&seed=2', HD);
  await page.waitForSelector('.app[data-present="false"]');
  assert.equal(await page.getAttribute('.app', 'data-speed'), '0.05', 'the page\'s default speed');
  await page.click('.topbar [data-testid="present"]');
  await page.waitForSelector('.app[data-present="true"] [data-testid="present-bar"]');
  assert.equal(await page.getAttribute('.app', 'data-speed'), '0.02', 'presenting slows to 1/50');
  assert.equal(await page.textContent('[data-testid="present-bar"] .speed-value'), '1/50');
  await page.keyboard.press('p');
  await page.waitForSelector('.app[data-present="false"] .layout');
  assert.equal(await page.getAttribute('.app', 'data-speed'), '0.05', 'leaving gives the speed back');
  await page.keyboard.press('p');
  await page.waitForSelector('.app[data-present="true"]');
  // The bar's Exit leaves too.
  await page.click('[data-testid="present-bar"] [data-testid="present"]');
  await page.waitForSelector('.app[data-present="false"]');
  await page.keyboard.press('?');
  const help = await page.textContent('[data-testid="help-overlay"]');
  assert.match(help, /p\s*presentation mode/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('present=1 plays at 1/50 of real time by default; speed= still wins', async () => {
  const page = await open(browser, srv.url, '?present=1&seed=5', HD);
  await page.waitForSelector('.app[data-present="true"]');
  assert.equal(await page.getAttribute('.app', 'data-speed'), '0.02');
  // Virtual time against the page's own clock, over 30 ms of virtual time.
  const t0 = await vtime(page);
  const w0 = await page.evaluate(() => performance.now());
  await page.waitForFunction((t) => Number(document.querySelector('[data-virtual-time-us]').getAttribute('data-virtual-time-us')) > t + 30000, t0, { timeout: 20000 });
  const [t1, w1] = [await vtime(page), await page.evaluate(() => performance.now())];
  const rate = (t1 - t0) / 1000 / (w1 - w0);
  console.log(`# present: ${(t1 - t0) / 1000} ms of virtual time in ${Math.round(w1 - w0)} ms (rate ${rate.toFixed(4)})`);
  // Never faster than 1/50 (a slow machine may drop frames: no lower bound on wall time;
  // the wait above shows that it plays).
  assert.ok(rate <= 0.0205, `at most 1/50: ${rate}`);
  await page.close();
  const fast = await open(browser, srv.url, '?present=1&speed=0.5', HD);
  assert.equal(await fast.getAttribute('.app', 'data-speed'), '0.5');
  await fast.close();
});

test('browser zoom 150 %: the top bar keeps to two rows and the ring stays on screen (normal and present)', async () => {
  for (const q of ['?servers=5&seed=1', '?servers=5&seed=1&present=1', '?present=1&scenario=tours/01-election.raft', '?servers=9&seed=1']) {
    const ctx = await browser.newContext(ZOOM150);
    const page = await ctx.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    await page.goto(srv.url + 'index.html' + q);
    await page.waitForSelector('[data-server]');
    const rows = await barRows(page);
    assert.ok(rows <= 2, `${q}: the top bar on ${rows} rows`);
    const r = await ringOnScreen(page);
    assert.ok(r.inside, `${q}: the ring on screen: ${JSON.stringify(r)}`);
    // The compact bar: one row; with a tour's Back and Next, two at most.
    if (q.includes('present') && !q.includes('tour')) assert.equal(rows, 1, `${q}: the compact bar is one row`);
    await shot(page, `zoom150-${q.includes('present') ? 'present' : 'normal'}${q.includes('tour') ? '-tour' : ''}${q.includes('servers=9') ? '-9' : ''}`);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  }
});

test('normal mode at 1280x720: the ring\'s term, vote and message labels are ≥ 11 px', async () => {
  const page = await open(browser, srv.url, '?servers=5&seed=4&speed=0.2', HD);
  await pauseWithLabels(page);
  const ring = (await labels(page, 'svg.ring')).filter((l) => /sname|sterm|srole|svote|msg-label/.test(l.where));
  assert.ok(['sterm', 'svote', 'msg-label', 'srole'].every((w) => ring.some((l) => l.where === w)), JSON.stringify(ring.slice(0, 6)));
  const min = smallest(ring);
  console.log(`# normal 1280x720: smallest ring label ${min.px} px (${min.where})`);
  assert.ok(min.px >= 11, JSON.stringify(min));
  const r = await ringOnScreen(page);
  assert.ok(r.inside, JSON.stringify(r));
  await shot(page, 'normal-1280x720');
  await page.close();
});

test('the element attribute present="1" and the mount() option present', async () => {
  const page = await browser.newPage({ viewport: HD });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.route('**/present-embed.html', (r) => r.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html><html><head><link rel="icon" href="data:,"><link rel="stylesheet" href="style.css"></head><body>
    <raft-cluster id="full" present="1" controls="full" servers="3" seed="2" style="height:600px"></raft-cluster>
    <raft-cluster id="mini" present="1" controls="minimal" servers="3" seed="2" style="height:400px"></raft-cluster>
    <raft-cluster id="plain" controls="minimal" servers="3" seed="2" style="height:400px"></raft-cluster>
    <raft-cluster id="bad" present="maybe" servers="3" controls="minimal"></raft-cluster>
    <div id="m" style="width:640px;height:420px"></div>
    <script type="module">
      import './raftlab.js';
      import init, { mount } from './raftlab-page.js';
      await init();
      window.h = mount(document.getElementById('m'), { servers: 3, present: true, controls: 'minimal' });
      try { mount(document.createElement('div'), { present: 'maybe' }); } catch (e) { window.mountError = String(e); }
    </script></body></html>` }));
  await page.goto(srv.url + 'present-embed.html');
  const inside = (id, sel) => page.waitForFunction(([id, sel]) => document.getElementById(id)?.shadowRoot?.querySelector(sel), [id, sel]);
  await inside('full', '.app.present [data-testid="present-bar"]');
  await inside('mini', '.app.present.embed [data-server]');
  await page.waitForSelector('#m .app.present [data-server]');
  const speeds = await page.evaluate(() => [
    document.getElementById('full').shadowRoot.querySelector('.app').getAttribute('data-speed'),
    document.getElementById('mini').shadowRoot.querySelector('.app').getAttribute('data-speed'),
    document.querySelector('#m .app').getAttribute('data-speed'),
  ]);
  assert.deepEqual(speeds, ['0.02', '0.02', '0.02']);
  await inside('bad', '[data-testid="param-errors"]');
  const text = await page.evaluate(() => document.getElementById('bad').shadowRoot.querySelector('[data-testid="param-errors"]').textContent);
  assert.match(text, /attribute present: expected on or off, found "maybe"/);
  assert.match(await page.evaluate(() => window.mountError), /option present: expected on or off, found "maybe"/);
  // The element's big labels: larger than those of the same element without present.
  await inside('plain', '[data-server]');
  const term = async (id) => smallest((await labels(page, '#' + id)).filter((l) => l.where === 'sterm')).px;
  const [big, normal] = [await term('mini'), await term('plain')];
  assert.ok(Number.isFinite(normal) && big >= normal * 1.1 && big >= 10, `present ${big} px, without ${normal} px`);
  // Changing the attribute applies it.
  await page.evaluate(() => document.getElementById('mini').setAttribute('present', '0'));
  await page.waitForFunction(() => document.getElementById('mini').shadowRoot.querySelector('.app:not(.present)'));
  assert.deepEqual(page.errors, []);
  await page.close();
});
