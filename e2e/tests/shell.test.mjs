// index.html paints a zh-CN app shell before the app's WebAssembly
// arrives: with the wasm held back, the page has painted the header and
// "正在打开…" in Chinese; once it is let through, the app replaces it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, screenshot, signedIn, syncState, DEMO_PASSWORD } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

test('the zh-CN shell is painted before the wasm arrives', async () => {
  const { server, browser } = env;
  const context = await browser.newContext({ locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await context.newPage();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(server.url, { waitUntil: 'domcontentloaded' });
  await page.locator('#shell').getByText('正在打开…').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  const painted = await page.evaluate(() => new Promise((resolve) => {
    const seen = () => performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint');
    if (seen()) return resolve(true);
    new PerformanceObserver(() => resolve(seen())).observe({ type: 'paint', buffered: true });
    // No paint at all must fail the test, not hang it.
    setTimeout(() => resolve(seen()), 5000);
  }));
  assert.ok(painted, 'first contentful paint happened while the wasm was held back');
  assert.match(await page.locator('#shell .brand-mark').innerText(), /直通车/);
  await screenshot(page, 'shell-before-wasm', 390);

  release();
  await page.locator('#shell').waitFor({ state: 'detached' });
  await page.getByRole('heading', { name: '我的诉求' }).waitFor();
  await context.close();
});

test('the first screens need only the first load; Automerge and the sync engine arrive after', async () => {
  const { server, browser } = env;
  const context = await browser.newContext({ locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await context.newPage();
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const lazy = [];
  await page.route(/\/(split_|chunk_)[^/]*\.wasm$/, async (route) => {
    lazy.push(new URL(route.request().url()).pathname);
    await held;
    await route.continue();
  });
  await page.goto(`${server.url}signin`);
  await page.locator('input[name=login]').fill('qiye01');
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('account-name').waitFor();
  await page.getByRole('heading', { name: '我的诉求' }).waitFor();
  assert.ok(lazy.length > 0, 'the lazy chunks were asked for, and are still held back');
  // Online and about to sync: "connecting", neither offline nor synced.
  assert.equal(await page.getByTestId('sync-status').getAttribute('data-state'), 'connecting', 'no sync without the engine');
  await screenshot(page, 'connecting', 390);
  release();
  await syncState(page, 'synced');
  await context.close();
});

test('opening the app online says "connecting", never "offline", on its way to "synced"', async () => {
  const { server, browser } = env;
  const { context, page } = await signedIn(browser, server, 'qiye01');
  // Every state the indicator shows from the first paint on, in order
  // (a mutation's old value too, so none is missed between callbacks).
  await page.addInitScript(() => {
    const states = (window.syncStates = []);
    const note = (state) => state && states.at(-1) !== state && states.push(state);
    new MutationObserver((records) => {
      for (const r of records) if (r.attributeName === 'data-state') note(r.oldValue);
      note(document.querySelector('[data-testid=sync-status]')?.dataset.state);
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
  });
  await page.reload();
  await syncState(page, 'synced');
  const states = await page.evaluate(() => window.syncStates);
  assert.equal(states[0], 'connecting', `states: ${states}`);
  assert.ok(!states.includes('offline'), `states: ${states}`);
  await context.close();
});
