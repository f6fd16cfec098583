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
  assert.equal(await a.page.locator('.case-card', { hasText: mine }).count(), 0, 'not shown once signed out');

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
