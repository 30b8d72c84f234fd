// Development helper (not a test): frame cost with 9 servers and ~200 messages in flight,
// from the page's `window.__raftlabPerf` hook. node e2e/perf.mjs [DIST]
import { serveDist, launch, open, waitLeader, setRange, tab } from './lib.mjs';
const srv = await serveDist(process.argv[2]);
const browser = await launch();
const page = await open(browser, srv.url, '?speed=0.2&servers=9');
await tab(page, 'timing');
await setRange(page, '[data-testid="election-max"]', 2000);
await setRange(page, '[data-testid="election-min"]', 1000);
await setRange(page, '[data-testid="heartbeat"]', 10);
await tab(page, 'network');
await setRange(page, '[data-testid="latency-max"]', 150);
await setRange(page, '[data-testid="latency-min"]', 100);
await waitLeader(page, 60000);
await page.waitForTimeout(2000);
await page.evaluate(() => { window.__raftlabPerf = { tick: [], frame: [] }; });
await page.waitForTimeout(5000);
const perf = await page.evaluate(() => window.__raftlabPerf);
const n = await page.$$eval('[data-msg-type]', (e) => e.length);
const q = (a, x) => { const s = [...a].sort((p, r) => p - r); return s[Math.floor(x * (s.length - 1))].toFixed(2); };
console.log(`messages ${n}; frames ${perf.frame.length}/5s; tick p50 ${q(perf.tick, 0.5)} p95 ${q(perf.tick, 0.95)} ms; advance+render p50 ${q(perf.frame, 0.5)} p95 ${q(perf.frame, 0.95)} ms`);
await browser.close(); await srv.close();
