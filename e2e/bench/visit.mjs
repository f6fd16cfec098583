// First and repeat visit on an emulated slow phone: the real built app
// served by the real server, headless chromium, Chrome DevTools protocol
// throttling.
//
// - first visit: a fresh browser profile (nothing cached, no service
//   worker) opens the sign-in page (/signin, the link people are given)
//   over emulated slow 4G (1.6 Mbit/s down, 750 kbit/s up, 150 ms round
//   trip) with the CPU slowed 4×; the time from navigation to the sign-in
//   form drawn (usable: the app draws it with its handlers).
// - repeat visit: signed in, 1,000 cases on the device, offline (the
//   service worker serves the app, IndexedDB the cases); a new tab opens
//   the app, CPU slowed 4×; the time from navigation to the first case of
//   the list drawn. Also without the CPU slowdown, for comparison.
//
// Median of RUNS (default 5) each.
//
//   node e2e/bench/visit.mjs [CASES] [RUNS]        (default: 1000 5)
import { startServer, launchBrowser } from '../tests/harness.mjs';
import { generateCases, offlineWithCases, median, watchFor, seenAt } from './cases.mjs';

const [count = 1000, runs = 5] = process.argv.slice(2).map(Number).filter((n) => n > 0);
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const CPU_SLOWDOWN = 4;
const SIGN_IN_FORM = 'input[name=login]';
const FIRST_CASE = '[data-testid=case-list] .case-card';

/** A new page of `context` with the network and CPU throttled as given. */
async function throttledPage(context, { network, cpu }) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (network) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
  }
  if (cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  return page;
}

const cases = generateCases(count);
const server = await startServer({ accounts: true });
const browser = await launchBrowser();
try {
  const first = [];
  const bytes = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ locale: 'zh-CN' });
    await watchFor(context, [SIGN_IN_FORM]);
    const page = await throttledPage(context, { network: SLOW_4G, cpu: CPU_SLOWDOWN });
    let received = 0;
    page.on('requestfinished', async (request) => {
      received += (await request.sizes().catch(() => ({ responseBodySize: 0 }))).responseBodySize;
    });
    await page.goto(`${server.url}signin`, { waitUntil: 'commit' });
    first.push(await seenAt(page, SIGN_IN_FORM));
    bytes.push(received);
    await context.close();
  }

  const { page, context } = await offlineWithCases(browser, server, cases);
  await watchFor(context, [FIRST_CASE]);
  await page.reload();
  await page.locator(FIRST_CASE).first().waitFor({ timeout: 120_000 });
  const shown = Number(await page.getByTestId('case-list').getAttribute('data-count'));
  if (shown !== count) throw new Error(`the list shows ${shown} cases, not ${count}`);
  await page.close();
  const repeat = { slowed: [], full: [] };
  for (let i = 0; i < runs; i++) {
    for (const [key, cpu] of [['slowed', CPU_SLOWDOWN], ['full', 0]]) {
      const tab = await throttledPage(context, { cpu });
      await tab.goto(server.url, { waitUntil: 'commit' });
      repeat[key].push(await seenAt(tab, FIRST_CASE));
      await tab.close();
    }
  }
  const ms = (xs) => `${median(xs).toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(`first visit, slow 4G + ${CPU_SLOWDOWN}× CPU: sign-in form drawn after ${ms(first)}; ${median(bytes)} B received`);
  console.log(`repeat visit offline, ${count} cases, ${CPU_SLOWDOWN}× CPU: first case drawn after ${ms(repeat.slowed)}`);
  console.log(`repeat visit offline, ${count} cases, full CPU: first case drawn after ${ms(repeat.full)}`);
} finally {
  await browser.close();
  await server.stop();
}
