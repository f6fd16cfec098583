// Sign-in needs the network once; the identity then lives on the device.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, screenshot, horizontalOverflow, signedIn, syncState, fillAppeal } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('sign in, keep the identity on the device, sign out', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('link', { name: '登录' }).click();
  await page.getByRole('heading', { name: '登录' }).waitFor();

  await page.locator('input[name=login]').fill('qiye01');
  await page.locator('input[name=password]').fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /账号或密码错误/);
  for (const width of [390, 1280]) {
    await screenshot(page, 'sign-in', width);
    assert.ok((await horizontalOverflow(page)) <= 0, `sign-in fits at ${width}px`);
  }

  await page.locator('input[name=password]').fill('zhitongche2026');
  await page.getByRole('button', { name: '登录' }).click();
  const name = page.getByTestId('account-name');
  await name.waitFor();
  const enterprise = await name.innerText();
  assert.match(enterprise, /^惠州市.+公司$/);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'dl_session');
  assert.ok(session?.httpOnly, 'HttpOnly session cookie');
  assert.equal(session.sameSite, 'Strict');
  await screenshot(page, 'signed-in', 390);

  // With every server call failing, the app still opens as this user.
  await page.route('**/api/**', (route) => route.abort('internetdisconnected'));
  await page.reload();
  await name.waitFor();
  assert.equal(await name.innerText(), enterprise);
  await page.unroute('**/api/**');

  await page.getByRole('button', { name: '退出' }).click();
  await page.getByRole('link', { name: '登录' }).waitFor();
  await page.reload();
  await page.getByRole('link', { name: '登录' }).waitFor();
  assert.equal(await name.count(), 0);
  const status = await page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(status, 401, 'the server session ended too');
  await context.close();
});

test('when the server no longer knows the session, the app says so, keeps what is made meanwhile, and syncs it after signing in again', async () => {
  const { context, page } = await signedIn(browser, server, 'qiye02');
  await syncState(page, 'synced');
  // The session ends on the server's side (as after 30 days): the browser's
  // cookie is gone, then the connection drops and comes back.
  await context.clearCookies();
  await context.setOffline(true);
  await context.setOffline(false);
  await syncState(page, 'signed-out');
  assert.match(await page.getByTestId('sync-status').innerText(), /登录已过期/);

  await fillAppeal(page, { title: '过期后提交的诉求' });
  await page.getByRole('button', { name: '提交诉求' }).click();
  const card = page.locator('.case-card', { hasText: '过期后提交的诉求' });
  await card.waitFor();
  await page.locator('[data-testid=sync-status][data-state=signed-out]', { hasText: '改动保存在本设备' }).waitFor();
  for (const width of [390, 1280]) {
    await screenshot(page, 'signed-out', width);
    assert.ok((await horizontalOverflow(page)) <= 0, `the notice fits at ${width}px`);
  }

  await page.getByTestId('sync-status').getByRole('link').click();
  await page.locator('input[name=login]').fill('qiye02');
  await page.locator('input[name=password]').fill('zhitongche2026');
  await page.getByRole('button', { name: '登录' }).click();
  // The name stayed on the device all along: wait for the sync instead.
  await syncState(page, 'synced');
  await page.goto(server.url);
  await card.getByText(/HZ-\d{4}-\d{6}/).waitFor();
  await context.close();
});
