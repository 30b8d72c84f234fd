// Development helper: screenshots of the page at a few moments (not a test).
// node e2e/shots.mjs [query]
import { serveDist, launch, open, shot, waitLeader, setRange } from './lib.mjs';
const srv = await serveDist();
const browser = await launch();
const q = process.argv[2] || '?speed=0.2';
for (const [vp, tag] of [[{ width: 1400, height: 900 }, 'laptop'], [{ width: 420, height: 900 }, 'narrow']]) {
  const page = await open(browser, srv.url, q, vp);
  const l = await waitLeader(page);
  await page.waitForTimeout(600);
  await shot(page, `dev-${tag}-leader`);
  await page.click(`[data-server="${l.name}"]`);
  await page.click('[data-action="crash"]');
  await page.waitForTimeout(1500);
  await shot(page, `dev-${tag}-crash`);
  if (tag === 'laptop') await page.screenshot({ path: 'artifacts/dev-laptop-full.png', fullPage: true });
  console.log(tag, page.errors);
  await page.close();
}
await browser.close();
await srv.close();
