// End-to-end: themes (issue 13 part 3). Light and dark follow prefers-color-scheme
// (page.emulateMedia); theme=light|dark forces one (URL parameter, element attribute,
// mount() option; a bad value is named); the colours are custom properties an embedder
// overrides; term colours stay distinguishable in both themes; a cluster stays readable
// on a dark host page; axe-core finds no serious or critical colour-contrast violation in
// either theme, on the main page and in presentation mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launch, open, shot } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let srv, browser;
before(async () => { srv = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await srv?.close(); });

const HD = { width: 1280, height: 720 };

// ---------------------------------------------------------------- colour arithmetic
function rgb(css) {
  const m = css.match(/rgba?\(([^)]+)\)/) ?? css.match(/color\(srgb ([^)]+)\)/);
  assert.ok(m, `a colour: ${css}`);
  const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return css.startsWith('color(') ? p.slice(0, 3).map((x) => x * 255) : p.slice(0, 3);
}
function luminance(css) {
  const [r, g, b] = rgb(css).map((c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}
function lab(css) {
  const [r, g, b] = rgb(css).map((c) => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
  const f = (t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const [x, y, z] = [(r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047, r * 0.2126 + g * 0.7152 + b * 0.0722, (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883];
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (a, b) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

/** The computed colours that say which theme is on: the app's background and text, a panel's. */
async function look(page, scope = 'document') {
  return page.evaluate((scope) => {
    const root = scope === 'document' ? document : document.querySelector(scope).shadowRoot ?? document.querySelector(scope);
    const app = root.querySelector('.app');
    const panel = root.querySelector('.panel') ?? app;
    const name = root.querySelector('.server .sname');
    return {
      bg: getComputedStyle(app).backgroundColor, ink: getComputedStyle(app).color,
      panel: getComputedStyle(panel).backgroundColor, name: name && getComputedStyle(name).fill,
      scheme: getComputedStyle(app).colorScheme,
    };
  }, scope);
}
const isDark = (l) => luminance(l.bg) < 0.05 && luminance(l.ink) > 0.6;
const isLight = (l) => luminance(l.bg) > 0.8 && luminance(l.ink) < 0.1;

async function axeContrast(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] }, resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id} ${n.impact}: ${n.target.join(' ')} — ${n.failureSummary.split('\n').slice(1).join(' ')}`));
  });
}

// ---------------------------------------------------------------- tests
test('theme=dark and theme=light force a theme over the browser\'s preference', async () => {
  const page = await open(browser, srv.url, '?theme=dark&servers=3', HD);
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  const dark = await look(page);
  assert.ok(isDark(dark), `dark colours: ${JSON.stringify(dark)}`);
  assert.ok(luminance(dark.panel) < 0.05, `dark panels: ${dark.panel}`);
  assert.ok(contrast(dark.ink, dark.panel) >= 4.5);
  await shot(page, 'theme-dark-1280x720');
  await page.close();

  const light = await open(browser, srv.url, '?theme=light&servers=3', HD);
  await light.emulateMedia({ colorScheme: 'dark' });
  const l = await look(light);
  assert.ok(isLight(l), `light colours under a dark preference: ${JSON.stringify(l)}`);
  await light.close();
});

test('without theme= the page follows prefers-color-scheme (emulated), live', async () => {
  const ctx = await browser.newContext({ viewport: HD, colorScheme: 'dark' });
  const page = await ctx.newPage();
  await page.goto(srv.url + 'index.html?servers=5&seed=2');
  await page.waitForSelector('[data-server]');
  assert.equal(await page.getAttribute('html', 'data-theme'), null);
  assert.ok(isDark(await look(page)), JSON.stringify(await look(page)));
  await page.emulateMedia({ colorScheme: 'light' });
  assert.ok(isLight(await look(page)), JSON.stringify(await look(page)));
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.ok(isDark(await look(page)));
  await ctx.close();
});

test('a bad theme is named in the banner and the browser\'s preference kept', async () => {
  const page = await open(browser, srv.url, '?theme=blue&servers=3', HD);
  await page.emulateMedia({ colorScheme: 'dark' });
  const item = await page.waitForSelector('[data-testid="param-errors"] li[data-param="theme"]');
  assert.equal(await item.textContent(), 'parameter theme: expected light, dark or auto, found "blue"');
  assert.equal(await page.getAttribute('html', 'data-theme'), null);
  assert.ok(isDark(await look(page)));
  assert.equal(await page.$$eval('[data-server]', (l) => l.length), 3, 'the other parameters apply');
  await page.close();
});

test('the element attribute theme, the mount() option theme, and a dark host page', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.emulateMedia({ colorScheme: 'light' });
  // A dark article: its own global stylesheet, light text on #111.
  await page.route('**/dark-host.html', (r) => r.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html><html><head><link rel="icon" href="data:,">
    <style>body { background: #111; color: #eee; font: 18px Georgia, serif } svg text { fill: #eee }</style></head><body>
    <h1>A dark article</h1>
    <raft-cluster id="auto" servers="3" seed="2" controls="minimal" style="height:320px"></raft-cluster>
    <raft-cluster id="dark" theme="dark" servers="3" seed="2" controls="minimal" style="height:320px"></raft-cluster>
    <raft-cluster id="bad" theme="blue" servers="3" controls="minimal" style="height:320px"></raft-cluster>
    <raft-cluster id="themed" servers="3" controls="minimal" style="height:320px; --bg: rgb(10, 20, 30); --term-1: rgb(200, 100, 0)"></raft-cluster>
    <div id="m" style="width:600px;height:320px"></div>
    <script type="module">
      import './raftlab.js';
      import init, { mount } from './raftlab-page.js';
      await init();
      window.h = mount(document.getElementById('m'), { servers: 3, seed: 2, controls: 'minimal', theme: 'dark' });
      try { mount(document.createElement('div'), { theme: 'blue' }); } catch (e) { window.mountError = String(e); }
    </script></body></html>` }));
  await page.goto(srv.url + 'dark-host.html');
  for (const id of ['auto', 'dark', 'bad', 'themed']) {
    await page.waitForFunction((id) => document.getElementById(id).shadowRoot.querySelector('[data-server]'), id);
  }
  await page.waitForSelector('#m [data-server]');
  // Light (the browser's preference) on a dark page: the element paints its own background.
  const auto = await look(page, '#auto');
  assert.ok(isLight(auto), JSON.stringify(auto));
  const dark = await look(page, '#dark');
  assert.ok(isDark(dark), JSON.stringify(dark));
  // mount(..., {theme: 'dark'}): the element mounted into carries data-theme.
  assert.equal(await page.getAttribute('#m', 'data-theme'), 'dark');
  const m = await look(page, '#m');
  assert.ok(isDark(m), JSON.stringify(m));
  // Readable on the dark page: each cluster's labels against its own background.
  for (const [id, l] of [['auto', auto], ['dark', dark], ['m', m]]) {
    const labels = await page.evaluate((id) => {
      const el = document.getElementById(id);
      const root = el.shadowRoot ?? el;
      return [...root.querySelectorAll('.srole, .svote, .clock, .safety')].map((t) => {
        const cs = getComputedStyle(t);
        let bgEl = t.closest('.safety, .clock') ?? root.querySelector('.app');
        return { cls: t.getAttribute('class'), fg: t instanceof SVGElement ? cs.fill : cs.color, bg: getComputedStyle(bgEl).backgroundColor };
      });
    }, id);
    assert.ok(labels.length >= 4, id);
    for (const x of labels) assert.ok(contrast(x.fg, x.bg) >= 4.5, `${id} ${x.cls}: ${x.fg} on ${x.bg} (${contrast(x.fg, x.bg).toFixed(2)})`);
  }
  // Bad values are named (inside the element; thrown by mount()).
  await page.waitForFunction(() => document.getElementById('bad').shadowRoot.querySelector('[data-testid="param-errors"]'));
  assert.match(await page.evaluate(() => document.getElementById('bad').shadowRoot.querySelector('[data-testid="param-errors"]').textContent),
    /attribute theme: expected light, dark or auto, found "blue"/);
  assert.ok(isLight(await look(page, '#bad')), 'the default (the browser\'s preference) is kept');
  assert.match(await page.evaluate(() => window.mountError), /option theme: expected light, dark or auto, found "blue"/);
  // An embedder's custom properties on the element win.
  const themed = await page.evaluate(() => {
    const r = document.getElementById('themed').shadowRoot;
    const probe = document.createElement('span');
    probe.style.background = 'var(--term-1)';
    r.querySelector('.app').append(probe);
    const c = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return { bg: getComputedStyle(r.querySelector('.app')).backgroundColor, term1: c };
  });
  assert.deepEqual(themed, { bg: 'rgb(10, 20, 30)', term1: 'rgb(200, 100, 0)' });
  // The preference changes: the auto element follows, the forced one stays.
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.ok(isDark(await look(page, '#auto')));
  await page.evaluate(() => document.getElementById('dark').setAttribute('theme', 'light'));
  await page.waitForFunction(() => document.getElementById('dark').shadowRoot.querySelector('[data-server]'));
  assert.ok(isLight(await look(page, '#dark')));
  await shot(page, 'theme-dark-host');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('term colours stay distinguishable in both themes, with the node text readable on each', async () => {
  for (const scheme of ['light', 'dark']) {
    const page = await open(browser, srv.url, `?theme=${scheme}&servers=3`, HD);
    const c = await page.evaluate(() => {
      const app = document.querySelector('.app');
      const probe = document.createElement('span');
      app.append(probe);
      const out = { terms: [] };
      for (let t = 0; t <= 10; t++) {
        probe.style.background = `var(--term-${t})`;
        out.terms.push(getComputedStyle(probe).backgroundColor);
      }
      probe.style.color = 'var(--node-ink)';
      out.ink = getComputedStyle(probe).color;
      probe.style.color = 'var(--node-ink-2)';
      out.ink2 = getComputedStyle(probe).color;
      probe.remove();
      return out;
    });
    const terms = c.terms.slice(1);
    let min = Infinity;
    for (let i = 0; i < terms.length; i++) for (let j = i + 1; j < terms.length; j++) min = Math.min(min, deltaE(terms[i], terms[j]));
    console.log(`# ${scheme}: terms 1-10 differ by ΔE ≥ ${min.toFixed(1)}`);
    assert.ok(min >= 12, `${scheme}: two term colours too close (ΔE ${min.toFixed(1)}): ${terms.join(' ')}`);
    assert.equal(new Set(c.terms).size, 11);
    for (const t of c.terms) {
      assert.ok(contrast(c.ink, t) >= 4.5, `${scheme}: server name on ${t}: ${contrast(c.ink, t).toFixed(2)}`);
      assert.ok(contrast(c.ink2, t) >= 4.5, `${scheme}: term label on ${t}: ${contrast(c.ink2, t).toFixed(2)}`);
    }
    // The ring draws with them (a server's fill is its term's colour).
    const fill = await page.$eval('[data-server="s1"] .body', (e) => getComputedStyle(e).fill);
    const term = Number(await page.getAttribute('[data-server="s1"]', 'data-term'));
    assert.equal(fill, c.terms[term === 0 ? 0 : ((term - 1) % 10) + 1]);
    await page.close();
  }
});

test('axe-core: no serious or critical colour-contrast violation, light and dark, main page and presentation mode', async () => {
  for (const theme of ['light', 'dark']) {
    for (const q of [`?theme=${theme}&servers=5&seed=3`, `?theme=${theme}&present=1&scenario=tours/01-election.raft`]) {
      const page = await open(browser, srv.url, q, { width: 1400, height: 900 });
      // Something of everything: a leader, a selected server's inspector, feed items, log cells.
      if (q.includes('present')) {
        await page.waitForSelector('[data-testid="caption"][data-state="paused"]', { timeout: 60000 });
        await page.click('[data-testid="bar-next"]');
      }
      await page.waitForFunction(() => document.querySelector('.app')?.getAttribute('data-leader'), null, { timeout: 60000 });
      await page.click('[data-server="s1"]');
      if (q.includes('present')) await page.waitForSelector('[data-testid="caption"]');
      else {
        await page.waitForSelector('.feed-item');
        await page.waitForSelector('td.cell[data-term]', { timeout: 30000 });
      }
      if ((await page.getAttribute('.app', 'data-playing')) === 'true') await page.click('[data-testid="play"]');
      await page.waitForSelector('.app[data-playing="false"]');
      const bad = await axeContrast(page);
      console.log(`# axe colour-contrast ${q}: ${bad.length} serious/critical`);
      assert.deepEqual(bad, [], q);
      if (q.includes('present')) await shot(page, `present-${theme}`);
      await page.close();
    }
  }
});

test('the README lists every colour custom property of the style sheet', () => {
  const css = readFileSync(join(here, '..', 'www', 'style.css'), 'utf8');
  const block = css.slice(css.indexOf(':root, :host {'), css.indexOf('\n}', css.indexOf(':root, :host {')));
  const names = [...block.matchAll(/^\s*(--[a-z0-9-]+):/gm)].map((m) => m[1]);
  assert.ok(names.length >= 60, `${names.length} properties`);
  const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Themes'));
  const missing = names.filter((n) => !section.includes('`' + n + '`') && !['--radius', '--shadow'].includes(n));
  assert.deepEqual(missing, [], 'documented in the README\'s Themes section');
  // Nothing in the page's own rules outside that block names a colour literally.
  const rest = css.slice(css.indexOf('\n}', css.indexOf(':root, :host {')));
  const literal = rest.split('\n').filter((l) => /#[0-9a-f]{3,8}\b|rgba?\(/i.test(l) && !/^\s*\/\*/.test(l));
  assert.deepEqual(literal, [], 'colours outside the custom properties');
});
