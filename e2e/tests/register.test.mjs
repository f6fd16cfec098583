// An enterprise registers itself (every problem shown at once, nothing
// created until all is right); a coordinator then files an appeal on its
// behalf, and the enterprise sees it in its own account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, horizontalOverflow, signedIn, syncState, fillAppeal, fillEnterprise } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ accounts: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an enterprise registers, and sees the appeal a coordinator filed for it', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${server.url}signin`);
  await page.getByRole('link', { name: '企业注册' }).click();
  await page.getByRole('heading', { name: '企业注册' }).waitFor();

  const uscc = '91441300MA4UQ1BQ2T';
  await fillEnterprise(page, { uscc: '91441300MA4UQ1BQ2X', district: 'boluo', name: '惠州市博罗环卫作业站' });
  await page.locator('input[name=contact]').fill('陈站长');
  await page.locator('input[name=phone]').fill('13902220000');
  await page.locator('input[name=login]').fill('boluo-huanwei');
  await page.locator('input[name=password]').fill('short');
  await page.getByRole('button', { name: '注册并登录' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /密码至少8位/);
  assert.match(await alert.innerText(), /校验位应为“T”/);
  for (const width of [390, 1280]) {
    await screenshot(page, 'register-errors', width);
    assert.ok((await horizontalOverflow(page)) <= 0, `registration fits at ${width}px`);
  }
  assert.equal(new URL(page.url()).pathname, '/register', 'still registering');

  await page.locator('input[name=uscc]').fill(uscc);
  await page.locator('input[name=password]').fill('huanwei2026');
  await page.getByRole('button', { name: '注册并登录' }).click();
  await page.getByTestId('account-name').getByText('惠州市博罗环卫作业站').waitFor();
  await page.getByRole('heading', { name: '我的诉求' }).waitFor();

  // The coordinator takes the unit's problem by phone and files it for it.
  const coord = await signedIn(browser, server, 'xietiao-boluo');
  await coord.page.getByRole('link', { name: '＋ 反映诉求' }).click();
  await fillEnterprise(coord.page, { uscc, district: 'boluo', name: '惠州市博罗环卫作业站' });
  await coord.page.locator('input[name=contact]').fill('陈站长');
  await coord.page.locator('input[name=phone]').fill('13902220000');
  await coord.page.locator('select[name=category]').selectOption('facilities');
  await coord.page.locator('input[name=title]').fill('环卫车辆夜间停放场地不足');
  await coord.page.locator('textarea[name=description]').fill('作业站现有停车位12个,环卫车辆30台,夜间只能沿路停放。');
  await coord.page.getByRole('button', { name: '提交诉求' }).click();
  await coord.page.locator('.case-card', { hasText: '环卫车辆夜间停放场地不足' }).waitFor();
  await syncState(coord.page, 'synced');

  const card = page.locator('.case-card', { hasText: '环卫车辆夜间停放场地不足' });
  await card.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  assert.match(await card.innerText(), /博罗县/);

  // Its own appeals are filed as itself, without typing the profile again.
  await fillAppeal(page, { title: '垃圾转运站选址' });
  assert.match(await page.getByTestId('filing-as').innerText(), /惠州市博罗环卫作业站/);
  assert.equal(await page.locator('input[name=uscc]').count(), 0);
  assert.equal(await page.locator('input[name=contact]').inputValue(), '黄女士', 'the contact can change per appeal');
  // Its earlier appeal is suggested: it may be the same problem.
  await page.getByTestId('duplicates').getByText('环卫车辆夜间停放场地不足').waitFor();
  await screenshot(page, 'new-appeal-duplicates', 390);
  await context.close();
  await coord.context.close();
});
