// An upgrade keeps what an earlier build stored: a profile holding the
// IndexedDB databases of an earlier build opens with this build; both
// appeals are still there, and the one filed offline reaches the server
// once its owner signs in. Two earlier schemas, each kept as a fixture
// made with its build (see fixtures/make-*.mjs):
// - idb-v4.json: the last build before per-account storage;
// - idb-user-v1.json: the first with it, before the file index and the
//   summary pages — its attachments are still on the device, and indexed,
//   and its summaries are in pages, after the upgrade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { serverAndBrowser, signedIn, syncState, storedKeys, ROOT, DEMO_PASSWORD } from './harness.mjs';
import { PHOTO, PDF } from '../fixtures/files.mjs';
import { dumpDatabase, loadDatabase } from '../fixtures/idb.mjs';

const env = serverAndBrowser({ accounts: true });
const fixture = (name) => JSON.parse(readFileSync(join(ROOT, 'e2e', 'fixtures', name), 'utf8'));

/** Loads `dumps` (an earlier build's databases) into a fresh profile before
 * this build ever runs there, then opens the app: both appeals are there;
 * the server has never seen this device's session, so it asks to sign in;
 * once signed in, the appeal filed offline gets its number. */
async function openWithEarlierData(browser, server, dumps, { synced, offline }) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${server.url}healthz`);
  for (const dump of dumps) await page.evaluate(loadDatabase, dump);

  await page.goto(server.url);
  const syncedCard = page.locator('.case-card', { hasText: synced });
  const offlineCard = page.locator('.case-card', { hasText: offline });
  await syncedCard.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await offlineCard.waitFor();
  await syncState(page, 'signed-out');

  await page.goto(`${server.url}signin`);
  await page.locator('input[name=login]').fill('qiye01');
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('account-name').waitFor();
  await offlineCard.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(page, 'synced');
  await syncedCard.waitFor();
  return { context, page };
}

test("the build before per-account storage: its device data opens with this build and keeps syncing", async () => {
  const { server, browser } = env;
  const { context, page } = await openWithEarlierData(browser, server, [fixture('idb-v4.json')], {
    synced: '旧版本同步过的诉求', offline: '旧版本离线填报的诉求',
  });

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

test("the first build with per-account storage: its cases and files open with this build and keep syncing", async () => {
  const { server, browser } = env;
  const { context, page } = await openWithEarlierData(browser, server, fixture('idb-user-v1.json'), {
    synced: '上一版本同步过的诉求', offline: '上一版本离线填报的诉求',
  });
  // Both files are still here and now indexed; the offline one was uploaded.
  const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
  const hashes = [PHOTO, PDF].map(sha).sort();
  for (let i = 0; (await storedKeys(page, 'files')).length < 2 && i < 300; i++) await page.waitForTimeout(100);
  assert.deepEqual((await storedKeys(page, 'files')).sort(), hashes);
  assert.deepEqual((await storedKeys(page, 'blobs')).sort(), hashes);
  for (let i = 0; (await storedKeys(page, 'uploads')).length > 0 && i < 300; i++) await page.waitForTimeout(100);
  assert.deepEqual(await storedKeys(page, 'uploads'), []);
  // Its summaries, one record per case then, now live in pages.
  assert.deepEqual(await storedKeys(page, 'summaries'), []);
  assert.ok((await storedKeys(page, 'summary_pages')).length > 0, 'summaries moved into pages');

  // The coordinator has the appeal filed offline, and its PDF.
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  await coord.page.locator('.case-card', { hasText: '上一版本离线填报的诉求' }).click();
  const status = await coord.page.evaluate(async (hash) => (await fetch(`/api/blobs/${hash}`)).status, sha(PDF));
  assert.equal(status, 200);
  await coord.context.close();
  await context.close();
});
