// Two people on one browser profile (a shared office PC): each account's
// cases live in storage of its own, so signing in as someone else never
// removes what the last person has not synced; their work syncs when they
// next sign in there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, screenshot, signIn, signedIn, syncState, fillAppeal } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });
const DAY_MS = 24 * 3600e3;

test("someone else signing in keeps the last person's unsynced work, which syncs at their next sign-in", async () => {
  const { server, browser } = env;
  const shared = await browser.newContext({ locale: 'zh-CN' });
  const a = await signIn(shared, server, 'qiye01');

  // A goes offline and files an appeal: saved on the device only.
  await shared.setOffline(true);
  await a.page.goto(server.url);
  await syncState(a.page, 'offline');
  const mine = '离线填报:厂区排污许可延续';
  await fillAppeal(a.page, { title: mine });
  await a.page.getByRole('button', { name: '提交诉求' }).click();
  await a.page.locator('.case-card', { hasText: mine }).waitFor();
  await syncState(a.page, 'saved');

  // Signing out asks first, and says how much is waiting.
  await a.page.getByRole('button', { name: '退出' }).click();
  const warning = a.page.getByTestId('sign-out-warning');
  await warning.getByText('还有 1 件诉求的改动尚未同步到服务器').waitFor();
  await screenshot(a.page, 'sign-out-warning', 390);
  await warning.getByTestId('stay-signed-in').click();
  await a.page.getByTestId('account-name').waitFor();
  assert.equal(await warning.count(), 0, 'staying signed in closes the question');
  await a.page.getByRole('button', { name: '退出' }).click();
  await warning.getByTestId('sign-out-keep').click();
  await a.page.getByRole('link', { name: '登录' }).first().waitFor();
  // Not shown once signed out (the list is read again after the sign-out).
  await a.page.locator('.case-card', { hasText: mine }).waitFor({ state: 'detached' });

  // A month later A's server session has expired; B signs in on the same
  // profile, online, and files an appeal of its own.
  const later = new Date(Date.now() + 31 * DAY_MS);
  server.setTime(later);
  await shared.setOffline(false);
  await a.page.close();
  const b = await signIn(shared, server, 'qiye02');
  await b.page.clock.setFixedTime(later);
  const theirs = '在线填报:园区道路积水';
  await fillAppeal(b.page, { title: theirs });
  await b.page.getByRole('button', { name: '提交诉求' }).click();
  await b.page.locator('.case-card', { hasText: theirs }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(b.page, 'synced');
  assert.equal(await b.page.locator('.case-card', { hasText: mine }).count(), 0, "A's case is not B's to see");
  await b.page.close();

  // A signs in again: the month-old appeal reaches the server.
  const again = await signIn(shared, server, 'qiye01');
  await again.page.locator('.case-card', { hasText: mine }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(again.page, 'synced');
  assert.equal(await again.page.locator('.case-card', { hasText: theirs }).count(), 0, "B's case is not A's");

  // Huicheng's coordinator, elsewhere, has both; B's is untouched.
  const coord = await signedIn(browser, server, 'xietiao-huicheng');
  await coord.page.clock.setFixedTime(later);
  await coord.page.reload();
  for (const title of [mine, theirs]) await coord.page.locator('.case-card', { hasText: title }).waitFor();
  await coord.context.close();
  await shared.close();
});

/** The accounts with a database on `page`'s device: id → how many cases it holds. */
async function accountsOnDevice(page) {
  return page.evaluate(async () => {
    const accounts = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name.startsWith('directline-user-')) continue;
      const db = await new Promise((ok) => { const open = indexedDB.open(name); open.onsuccess = () => ok(open.result); });
      const count = db.transaction('docs').objectStore('docs').count();
      accounts[name.slice('directline-user-'.length)] = await new Promise((ok) => { count.onsuccess = () => ok(count.result); });
      db.close();
    }
    return accounts;
  });
}

test("short of space, the device lets go of other accounts' synced cases, never of unsynced work", async () => {
  const { server, browser } = env;
  const shared = await browser.newContext({ locale: 'zh-CN' });

  // B files online: everything B has is on the server.
  const b = await signIn(shared, server, 'qiye02');
  const synced = '在线填报:厂区供水压力不足';
  await fillAppeal(b.page, { title: synced });
  await b.page.getByRole('button', { name: '提交诉求' }).click();
  await b.page.locator('.case-card', { hasText: synced }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(b.page, 'synced');
  const [bId] = Object.keys(await accountsOnDevice(b.page));
  await b.page.close();

  // C files offline and keeps the work on the device when signing out.
  const c = await signIn(shared, server, 'qiye03');
  await shared.setOffline(true);
  await c.page.goto(server.url);
  await syncState(c.page, 'offline');
  const unsent = '离线填报:危化品仓库验收';
  await fillAppeal(c.page, { title: unsent });
  await c.page.getByRole('button', { name: '提交诉求' }).click();
  await syncState(c.page, 'saved');
  const cId = Object.keys(await accountsOnDevice(c.page)).find((id) => id !== bId);
  await c.page.getByRole('button', { name: '退出' }).click();
  await c.page.getByTestId('sign-out-keep').click();
  await c.page.getByRole('link', { name: '登录' }).first().waitFor();
  await c.page.close();
  await shared.setOffline(false);

  // The device is now short of space (the browser says 95% of the quota
  // is used) when A signs in: B's synced cases go, C's unsent ones stay.
  await shared.addInitScript(() => {
    navigator.storage.estimate = async () => ({ usage: 950e6, quota: 1000e6 });
  });
  const a = await signIn(shared, server, 'qiye01');
  // Room is made as A's account opens, before it syncs. A's list is read
  // (empty, or the first test's appeal back from the server).
  await syncState(a.page, 'synced');
  await a.page.locator('.case-card').or(a.page.getByText('本设备上还没有诉求')).first().waitFor();
  for (let i = 0; (await accountsOnDevice(a.page))[bId] > 0 && i < 100; i++) await a.page.waitForTimeout(100);
  const left = await accountsOnDevice(a.page);
  assert.equal(left[bId], 0, `B's synced cases are gone: ${JSON.stringify(left)}`);
  assert.equal(left[cId], 1, `C's unsent work stays: ${JSON.stringify(left)}`);
  await a.page.close();

  // C's work reaches the server at C's next sign-in; B's cases come back.
  const c2 = await signIn(shared, server, 'qiye03');
  await c2.page.locator('.case-card', { hasText: unsent }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(c2.page, 'synced');
  await c2.page.close();
  const b2 = await signIn(shared, server, 'qiye02');
  await b2.page.locator('.case-card', { hasText: synced }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await shared.close();
});
