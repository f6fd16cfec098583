// Where the app's time goes when it opens with N cases on the device, and
// when the list is filtered: Chrome's sampling profiler (DevTools protocol)
// over one offline reload to the first case drawn, then over a status
// filter; prints the functions with the most self time. Build with
// function names first: `WASM_OPT_KEEP_NAMES=1 ./scripts/build.sh`.
//
//   node e2e/bench/profile.mjs [COUNT] [TOP]        (default: 10000 40)
import { startServer, launchBrowser } from '../tests/harness.mjs';
import { generateCases, offlineWithCases } from './cases.mjs';

const [count = 10000, top = 40] = process.argv.slice(2).map(Number).filter((n) => n > 0);

/** Self time per function of a `Profiler.stop` profile, most first. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url } = byId.get(id).callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop()}`;
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function print(title, profile) {
  const rows = selfTimes(profile);
  const total = rows.reduce((s, [, ms]) => s + ms, 0);
  console.log(`\n${title}: ${total.toFixed(0)} ms sampled`);
  for (const [name, ms] of rows.slice(0, top)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
}

const cases = generateCases(count);
const server = await startServer({ accounts: true });
const browser = await launchBrowser();
try {
  const { page, context } = await offlineWithCases(browser, server, cases);
  await page.reload();
  await page.locator('[data-testid=case-list] .case-card').first().waitFor({ timeout: 120_000 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.reload();
  await page.locator('[data-testid=case-list] .case-card').first().waitFor({ timeout: 120_000 });
  print(`load → first case drawn, ${count} cases`, (await cdp.send('Profiler.stop')).profile);

  await cdp.send('Profiler.start');
  for (const value of ['InProgress', '', 'InProgress', '']) {
    await page.locator('select[name=status]').selectOption(value);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
  }
  print('four status filters', (await cdp.send('Profiler.stop')).profile);
} finally {
  await browser.close();
  await server.stop();
}
