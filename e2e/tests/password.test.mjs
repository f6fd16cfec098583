// Anyone changes their own password from the app: a mistake is said and
// changes nothing; then the new password signs in, the old one does not,
// and the account's session on another device ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, screenshot, signedIn, DEMO_PASSWORD } from './harness.mjs';

const env = serverAndBrowser({ accounts: true });

async function tryPassword(server, password) {
  const r = await fetch(`${server.url}api/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'lingdao-boluo', password }),
  });
  return r.status;
}

test('a leader changes their password; the old one stops working and other devices are signed out', async () => {
  const { server, browser } = env;
  const phone = await signedIn(browser, server, 'lingdao-boluo');
  const { context, page } = await signedIn(browser, server, 'lingdao-boluo');
  await page.getByTestId('account-name').click();
  const form = page.getByTestId('change-password');
  const fill = async (current, next, again) => {
    await form.locator('input[name=current]').fill(current);
    await form.locator('input[name=new]').fill(next);
    await form.locator('input[name=again]').fill(again);
    await form.getByRole('button', { name: '修改密码' }).click();
  };
  await fill(DEMO_PASSWORD, '博罗县领导的新密码', '博罗县领导的新密码2');
  await form.getByRole('alert').getByText('两次输入的新密码不一致').waitFor();
  await fill(DEMO_PASSWORD, 'short', 'short');
  await form.getByRole('alert').getByText('密码至少8位').waitFor();
  await fill('wrong-password', '博罗县领导的新密码', '博罗县领导的新密码');
  await form.getByRole('alert').getByText('当前密码不对').waitFor();
  await screenshot(page, 'change-password-error', 390);
  assert.equal(await tryPassword(server, DEMO_PASSWORD), 200, 'nothing changed yet');

  await fill(DEMO_PASSWORD, '博罗县领导的新密码', '博罗县领导的新密码');
  await form.getByTestId('password-changed').waitFor();
  assert.equal(await form.locator('input[name=new]').inputValue(), '', 'the form is cleared');
  await screenshot(page, 'change-password-done', 390);
  assert.equal(await tryPassword(server, DEMO_PASSWORD), 401);
  assert.equal(await tryPassword(server, '博罗县领导的新密码'), 200);
  const elsewhere = await phone.page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(elsewhere, 401, 'the other device is signed out');
  const here = await page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(here, 200, 'this device stays signed in');
  await phone.context.close();
  await context.close();
});
