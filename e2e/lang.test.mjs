// End-to-end: the page in Simplified Chinese. `lang=zh` (URL parameter, element attribute,
// mount() option) or a Chinese browser shows every text in Chinese — checked by reading
// every visible text of the page (each tab, the help, an explanation, a tour's caption,
// a bad parameter's error) and finding no English word beyond the names Raft readers
// keep (RPC names, s1..s9, units); `lang=en` and English browsers get English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, launch, shot, DIST } from './lib.mjs';

let srv, browser, site;

before(async () => {
  site = mkdtempSync(join(tmpdir(), 'raftlab-lang-'));
  cpSync(DIST, join(site, 'raftlab'), { recursive: true });
  writeFileSync(join(site, 'element.html'), `<!DOCTYPE html><html lang="en"><head><link rel="icon" href="data:,"></head>
    <body style="background:#222;color:#eee;font:16px Georgia">
    <h1>Raft 教程</h1>
    <raft-cluster id="zh" lang="zh" servers="3" seed="4" controls="full" style="height:700px"></raft-cluster>
    <raft-cluster id="bad" servers="3" seed="4" lang="fr" controls="minimal" style="height:300px"></raft-cluster>
    <script type="module" src="raftlab/raftlab.js"></script></body></html>`);
  writeFileSync(join(site, 'index.html'), '<!DOCTYPE html><title>site</title>');
  writeFileSync(join(site, 'mount.html'), `<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body>
    <div id="m" style="height:600px"></div>
    <script type="module">
      import init, { mount } from './raftlab/raftlab-page.js';
      await init({ module_or_path: './raftlab/raftlab-page_bg.wasm' });
      window.handle = mount(document.getElementById('m'), { servers: 3, seed: 2, lang: 'zh' });
    </script></body></html>`);
  srv = await serveDist(site);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
  rmSync(site, { recursive: true, force: true });
});

// Words a Chinese Raft reader sees in English: RPC and field names, the product, units,
// the .raft language's keywords quoted in hints, key names of the client's operations,
// keys of the keyboard, the paper's name of a property after its Chinese, and the loanwords Chinese developers write as they are (bug, no-op).
const KEPT = new Set(['Raft', 'raftlab', 'AppendEntries', 'RequestVote', 'InstallSnapshot', 'TimeoutNow',
  'ReadIndex', 'CheckQuorum', 'matchIndex', 'nextIndex', 'put', 'get', 'ms', 'KB', 'SVG', 'PNG', 'URL',
  'raft', 'Cnew', 'Cold', 'no-op', 'bug', 'Home', 'End', 'Leader Completeness', 'Esc', 'Tab', 'Enter', 'Space', 'Shift', 'Ctrl', 'ok', 'none', 'on', 'off', 'zh', 'en']);

/** English words in `text` that are not kept as they are. */
function english(text) {
  // The paper's names of configurations, C_old, C_new, C_old,new, are notation.
  // Kept names first (an element's innerText may glue two labels: "matchIndexCo,n").
  for (const k of [...KEPT].filter((w) => w.length >= 6)) text = text.replaceAll(k, ' ');
  const words = text.replace(/C_old(,new)?|C_new/g, '').match(/[A-Za-z][A-Za-z'-]{2,}/g) || [];
  return [...new Set(words.filter((w) => !KEPT.has(w) && !/^s\d$/.test(w)))];
}

async function newPage(url, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  await page.goto(srv.url + url);
  return page;
}

const visibleText = (page) => page.evaluate(() => document.body.innerText);

test('lang=zh: every visible text of the page, its tabs, the help and an explanation is Chinese', async () => {
  const page = await newPage('raftlab/index.html?lang=zh&seed=3&speed=1');
  await page.waitForSelector('[data-server]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
  // Let elections, commits and feed sentences happen.
  await page.waitForFunction(() => document.querySelector('[data-role="leader"]') !== null, null, { timeout: 30000 });
  await page.click('[data-testid="play"]');
  const found = {};
  const look = async (where) => {
    const t = await visibleText(page);
    assert.match(t, /[\u4e00-\u9fff]/, `${where}: no Chinese at all`);
    const e = english(t);
    if (e.length) found[where] = e;
  };
  await look('main');
  for (const tab of await page.$$eval('[data-tab]', (els) => els.map((e) => e.getAttribute('data-tab')))) {
    await page.click(`[data-tab="${tab}"]`);
    await look(`tab ${tab}`);
  }
  await page.click('[data-server="s1"]');
  await look('inspector');
  // Explanations: of a server, and of a log entry (the leader's no-op at index 1).
  await page.click('[data-log="s1"] th.who');
  await page.click('[data-action="why-server"]');
  await page.waitForSelector('[data-why="server"]');
  await look('explanation of a server');
  await page.click('[data-log="s1"] td[data-index="1"]');
  await page.waitForSelector('[data-why="entry"]');
  await look('explanation of an entry');
  await page.click('[data-testid="help"]');
  await look('help');
  await shot(page, 'lang-zh-help');
  assert.deepEqual(found, {}, 'English left in the Chinese page');
  assert.deepEqual(page.errors, []);
});

test('a Chinese browser gets Chinese; lang=en keeps English; a bad lang is named', async () => {
  const zh = await newPage('raftlab/index.html?seed=3', { locale: 'zh-CN' });
  await zh.waitForSelector('[data-server]');
  assert.equal(await zh.getAttribute('html', 'lang'), 'zh-Hans');
  assert.match(await zh.innerText('[data-testid="play"]'), /[\u4e00-\u9fff]/);
  const en = await newPage('raftlab/index.html?seed=3&lang=en', { locale: 'zh-CN' });
  await en.waitForSelector('[data-server]');
  assert.equal(await en.getAttribute('html', 'lang'), 'en');
  assert.doesNotMatch(await visibleText(en), /[\u4e00-\u9fff]/);
  const bad = await newPage('raftlab/index.html?seed=3&lang=fr');
  await bad.waitForSelector('[data-server]');
  assert.match(await visibleText(bad), /parameter lang: expected en, zh or auto, found "fr"/);
  for (const p of [zh, en, bad]) assert.deepEqual(p.errors, []);
});

test('a tour in Chinese: its captions are the file\'s say zh lines', async () => {
  const page = await newPage('raftlab/index.html?lang=zh&scenario=tours/01-election.raft');
  await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 60000 });
  const cap = await page.innerText('[data-testid="caption"] .cap-text');
  assert.match(cap, /[\u4e00-\u9fff]/, cap);
  assert.deepEqual(english(await visibleText(page)), []);
  await shot(page, 'lang-zh-tour');
});

test('<raft-cluster lang="zh"> on an English page, and mount({lang: "zh"})', async () => {
  const page = await newPage('element.html');
  await page.waitForSelector('#zh >> [data-server]');
  const text = await page.$eval('#zh', (el) => el.shadowRoot.querySelector('.rc-root').innerText);
  assert.match(text, /[\u4e00-\u9fff]/);
  assert.deepEqual(english(text), []);
  assert.equal(await page.$eval('#zh', (el) => el.shadowRoot.querySelector('.rc-root').getAttribute('lang')), 'zh-Hans');
  // The host page keeps its own language.
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.waitForSelector('#bad >> [data-server]');
  const bad = await page.$eval('#bad', (el) => el.shadowRoot.querySelector('.rc-root').innerText);
  assert.match(bad, /lang\S* .*"fr"/);
  const m = await newPage('mount.html');
  await m.waitForSelector('#m [data-server]');
  assert.equal(await m.getAttribute('#m', 'lang'), 'zh-Hans');
  assert.deepEqual(english(await m.innerText('#m')), []);
  for (const p of [page, m]) assert.deepEqual(p.errors, []);
});
