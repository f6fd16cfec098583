// Worklist benchmark: N cases in IndexedDB (real Automerge snapshots and
// summaries, every lifecycle stage), the real built app served by the real
// server, headless chromium, offline (the service worker serves the app).
// Prints the time from navigation to an interactive case list, and the
// latency of filtering by status, district and text.
//
//   node e2e/bench/list.mjs [COUNT...]        (default: 1000 10000)
//
// The cases come from `cargo run --profile server -p server --example
// bench_cases -- COUNT FILE`, run by this script (see cases.mjs).
import { startServer, launchBrowser } from '../tests/harness.mjs';
import { generateCases, offlineWithCases, median } from './cases.mjs';

const RUNS = 5;

/** Milliseconds from a change of the control to the list drawn and painted. */
async function filterLatency(page, selector, value) {
  return page.evaluate(({ selector, value }) => new Promise((resolve) => {
    const control = document.querySelector(selector);
    const list = () => document.querySelector('[data-testid=case-list]')?.dataset.count ?? '0';
    const before = list();
    const start = performance.now();
    control.value = value;
    control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    // Drawn by then: the next frame after the update is painted.
    requestAnimationFrame(() => setTimeout(() => resolve({ ms: performance.now() - start, before, after: list() })));
  }), { selector, value });
}

/** Opens the app again in `page` and returns the milliseconds from the
 * navigation to the first case drawn. By way of a blank page: a reload
 * would start its clock while the last page is still busy (the sync
 * engine starts after the list is drawn), and count that work too. */
async function openAgain(page) {
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await page.locator('[data-testid=case-list] .case-card').first().waitFor({ timeout: 120_000 });
  return page.evaluate(() => performance.now());
}

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const rows = [];
for (const count of counts.length ? counts : [1000, 10000]) {
  const cases = generateCases(count);
  const server = await startServer({ accounts: true });
  const browser = await launchBrowser();
  try {
    const { page } = await offlineWithCases(browser, server, cases);
    await openAgain(page); // not counted: the first open moves summaries kept by older builds into pages

    const loads = [];
    for (let i = 0; i < RUNS; i++) {
      loads.push(await openAgain(page));
    }
    const shown = Number(await page.getByTestId('case-list').getAttribute('data-count'));
    if (shown !== count) throw new Error(`the list shows ${shown} cases, not ${count}`);

    const measure = async (selector, value, reset) => {
      const times = [];
      let matched;
      for (let i = 0; i < RUNS; i++) {
        const r = await filterLatency(page, selector, value);
        if (r.after === r.before) throw new Error(`filter ${selector}=${value} changed nothing`);
        times.push(r.ms);
        matched = r.after;
        await filterLatency(page, selector, reset);
      }
      return { ms: median(times), matched };
    };
    const status = await measure('select[name=status]', 'InProgress', '');
    const district = await measure('select[name=district]', 'boluo', '');
    const text = await measure('input[name=q]', '夹心地', '');
    console.log(`${count} cases, each open (ms): ${loads.map((l) => l.toFixed(0)).join(" ")}`);
    rows.push({ count, load: median(loads), status, district, text });
  } finally {
    await browser.close();
    await server.stop();
  }
}

console.log('| cases in IndexedDB | load → interactive list | filter: status (matches) | filter: district (matches) | filter: text (matches) |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  const f = (x) => `${x.ms.toFixed(0)} ms (${x.matched})`;
  console.log(`| ${r.count.toLocaleString('en')} | ${r.load.toFixed(0)} ms | ${f(r.status)} | ${f(r.district)} | ${f(r.text)} |`);
}
