// The device's storage is full (a quota error, simulated by making every
// IndexedDB write fail as a full disk does): the user is told what happened
// and what to do, what was saved stays, and the same appeal saves once
// there is room — once, not twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, signedIn, syncState, fillAppeal } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

test('a full device says so, keeps what was saved, and saves the appeal once there is room', async () => {
  const { server, browser } = env;
  const { context, page } = await signedIn(browser, server, 'qiye01');
  const saved = '存储满之前的诉求';
  await fillAppeal(page, { title: saved });
  await page.getByRole('button', { name: '提交诉求' }).click();
  await page.locator('.case-card', { hasText: saved }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(page, 'synced');

  // Every write now fails as the browser fails it when the quota is used up.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    window.storageFull = true;
    IDBObjectStore.prototype.put = function (...args) {
      if (window.storageFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  const blocked = '存储满时填报的诉求';
  await fillAppeal(page, { title: blocked });
  await page.getByRole('button', { name: '提交诉求' }).click();
  await page.getByText('本设备存储空间已满,这次的改动没有保存。之前保存的内容都还在。').waitFor();
  assert.equal(await page.locator('input[name=title]').inputValue(), blocked, 'what was typed stays');

  // Room again: the same form saves, and the appeal reaches the server.
  await page.evaluate(() => { window.storageFull = false; });
  await page.getByRole('button', { name: '提交诉求' }).click();
  await page.locator('.case-card', { hasText: blocked }).getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await syncState(page, 'synced');
  await page.reload();
  await page.locator('.case-card', { hasText: saved }).waitFor();
  await page.locator('.case-card', { hasText: blocked }).waitFor();
  assert.equal(await page.locator('.case-card', { hasText: blocked }).count(), 1, 'saved once');
  await context.close();
});
