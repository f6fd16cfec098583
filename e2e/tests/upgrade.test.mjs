// An upgrade keeps what an earlier build stored: a profile holding the
// IndexedDB database of the last build before per-account storage
// (fixtures/idb-v4.json, made by fixtures/make-idb-v4.mjs with that build)
// opens with this build; both appeals are still there, and the one filed
// offline reaches the server once its owner signs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverAndBrowser, signedIn, syncState, ROOT, DEMO_PASSWORD } from './harness.mjs';
import { dumpDatabase, loadDatabase } from '../fixtures/idb.mjs';

const env = serverAndBrowser({ accounts: true });
const fixture = JSON.parse(readFileSync(join(ROOT, 'e2e', 'fixtures', 'idb-v4.json'), 'utf8'));

test("the previous build's device data opens with this build and keeps syncing", async () => {
  const { server, browser } = env;
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  // The earlier build's database, written before this build ever runs.
  await page.goto(`${server.url}healthz`);
  await page.evaluate(loadDatabase, fixture);

  await page.goto(server.url);
  const synced = page.locator('.case-card', { hasText: '旧版本同步过的诉求' });
  const offline = page.locator('.case-card', { hasText: '旧版本离线填报的诉求' });
  await synced.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await offline.waitFor();
  // The server has never seen this device's session: it asks to sign in.
  await syncState(page, 'signed-out');

  await page.goto(`${server.url}signin`);
  await page.locator('input[name=login]').fill('qiye01');
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('account-name').waitFor();
  await offline.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(page, 'synced');
  await synced.waitFor();

  // Moved, not copied: the device's database no longer holds cases.
  const device = await page.evaluate(dumpDatabase, 'directline');
  assert.equal(device.stores.docs.length, 0);
  const names = (await page.evaluate(() => indexedDB.databases())).map((d) => d.name);
  const mine = names.find((n) => n.startsWith('directline-user-'));
  assert.ok(mine, `an account database among ${names}`);
  assert.equal((await page.evaluate(dumpDatabase, mine)).stores.docs.length, 2);

  // The district's coordinator has the appeal filed offline under the old build.
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  await coord.page.locator('.case-card', { hasText: '旧版本离线填报的诉求' }).waitFor();
  await coord.context.close();
  await context.close();
});
